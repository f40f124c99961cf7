package dev.sluice.testkit;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A tiny HTTP client for the tests: real calls, raw JSON answers. */
final class StripeHttp {
  static final String KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
  static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .callTimeout(Duration.ofSeconds(20))
      .retryOnConnectionFailure(false)
      .build();

  /** One answer. */
  record Answer(int status, DataRecord body, okhttp3.Headers headers) {
    DataRecord error() {
      return body.getRecord("error");
    }
  }

  private final String baseUrl;
  private String key = KEY;

  StripeHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  StripeHttp withKey(String key) {
    StripeHttp h = new StripeHttp(baseUrl);
    h.key = key;
    return h;
  }

  Answer get(String pathAndQuery) {
    return call(new Request.Builder().url(baseUrl + pathAndQuery).get());
  }

  Answer post(String path, String form) {
    return call(new Request.Builder().url(baseUrl + path)
        .post(RequestBody.create(form, MediaType.get("application/x-www-form-urlencoded"))));
  }

  Answer delete(String path) {
    return call(new Request.Builder().url(baseUrl + path).delete());
  }

  Answer call(Request.Builder builder) {
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    try (Response r = CLIENT.newCall(builder.build()).execute()) {
      String text = r.body().string();
      return new Answer(r.code(), DataRecord.fromJson(text), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
