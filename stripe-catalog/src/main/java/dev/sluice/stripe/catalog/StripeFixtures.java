package dev.sluice.stripe.catalog;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Real example objects for every Stripe resource, one per {@code object} type, from Stripe's
 * published fixtures ({@code stripe-fixtures3.json}, bundled in this jar).
 *
 * <pre>{@code
 * DataRecord charge = StripeFixtures.get("charge");
 * charge.getString("id");   // "ch_..."
 * }</pre>
 */
public final class StripeFixtures {
  private static final String RESOURCE = "stripe-fixtures3.json";

  private StripeFixtures() {}

  /**
   * The example object of this {@code object} type ({@code "charge"}, {@code "checkout.session"}).
   *
   * @throws IllegalArgumentException naming the type when the fixtures have no such object
   */
  public static DataRecord get(String objectType) {
    DataRecord fixture = Holder.ALL.getRecord(objectType);
    if (fixture == null) {
      throw new IllegalArgumentException(
          "No Stripe fixture for object type '" + objectType + "'; see StripeFixtures.objectTypes()");
    }
    return fixture;
  }

  /** Every object type that has a fixture. */
  public static Set<String> objectTypes() {
    return Holder.ALL.keys();
  }

  private static final class Holder {
    static final DataRecord ALL = load();

    private static DataRecord load() {
      try (InputStream in = StripeFixtures.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("The jar lacks its fixture file " + RESOURCE);
        }
        DataRecord root = DataRecord.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return root.getRecord("resources");
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read " + RESOURCE, e);
      }
    }
  }
}
