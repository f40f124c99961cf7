package dev.sluice.benchmarks;

import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic Stripe charges as compact JSON lines, one charge per line, taken from the Stripe
 * emulator's {@code GET /v1/charges} pages. The same seed and count always give the same lines.
 *
 * <pre>{@code
 * List<String> lines = ChargeLines.generate(1, 1000);
 * }</pre>
 */
public final class ChargeLines {
  private ChargeLines() {}

  /**
   * Starts an emulator with {@code seed}, lists {@code count} charges page by page and stops it.
   *
   * @throws IllegalStateException if the emulator answers with anything but a list page
   */
  public static List<String> generate(long seed, int count) {
    List<String> lines = new ArrayList<>(count);
    HttpClient http = HttpClient.newHttpClient();
    try (StripeEmulator stripe =
        StripeEmulator.builder().seed(seed).objectsPerResource(count).build().start()) {
      String after = null;
      while (lines.size() < count) {
        String url = stripe.baseUrl() + "/v1/charges?limit=100"
            + (after == null ? "" : "&starting_after=" + after);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer sk_test_x")
            .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        DataRecord page = DataRecord.fromJson(response.body());
        List<Object> data = page.getList("data");
        for (Object charge : data) {
          if (lines.size() < count) {
            lines.add(((DataRecord) charge).toJson());
          }
        }
        if (data.isEmpty() || !Boolean.TRUE.equals(page.getBoolean("has_more"))) {
          break;
        }
        after = ((DataRecord) data.get(data.size() - 1)).getString("id");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing charges", e);
    }
    if (lines.size() < count) {
      throw new IllegalStateException("the emulator listed " + lines.size() + " charges, not " + count);
    }
    return lines;
  }
}
