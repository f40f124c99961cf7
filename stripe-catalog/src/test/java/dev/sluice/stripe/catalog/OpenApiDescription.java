package dev.sluice.stripe.catalog;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stripe's published OpenAPI description ({@code ../shared/stripe-openapi/spec3.json} beside the
 * reactor root), read as test data. Missing, a test is skipped on a developer's machine and fails
 * when {@code CI} is set, so a CI run never passes by not checking.
 */
final class OpenApiDescription {
  private static DataRecord spec;

  private OpenApiDescription() {}

  /** The file, found from the reactor root Surefire passes as {@code sluice.reactorRoot}. */
  static Path file() {
    String root = System.getProperty("sluice.reactorRoot", System.getProperty("user.dir"));
    return Path.of(root).toAbsolutePath().resolve("../shared/stripe-openapi/spec3.json").normalize();
  }

  /** The parsed description; skips (or fails under CI) when the file is not there. */
  static synchronized DataRecord spec() throws IOException {
    if (spec == null) {
      Path file = file();
      if (!Files.isRegularFile(file)) {
        String message = "Stripe's OpenAPI description is not at " + file
            + ": the test data of this check is missing";
        if (System.getenv("CI") != null) {
          throw new IllegalStateException(message + " (CI is set, so this fails rather than skips)");
        }
        assumeTrue(false, message);
      }
      spec = DataRecord.fromJson(Files.readString(file));
    }
    return spec;
  }

  /** Every event type Stripe documents: the {@code enabled_events} enum of webhook endpoints. */
  static Set<String> eventTypes() throws IOException {
    DataRecord post = spec().getRecord("paths").getRecord("/v1/webhook_endpoints").getRecord("post");
    DataRecord schema = post.getRecord("requestBody").getRecord("content")
        .getRecord("application/x-www-form-urlencoded").getRecord("schema");
    List<Object> names = schema.getRecord("properties").getRecord("enabled_events")
        .getRecord("items").getList("enum");
    Set<String> types = new LinkedHashSet<>();
    for (Object name : names) {
      types.add((String) name);
    }
    types.remove("*");
    return types;
  }
}
