package dev.sluice.stripe;

import dev.sluice.stripe.internal.StreamingResourceReader;
import dev.sluice.stripe.internal.StripeJavaResourceReader;
import java.util.Objects;

/** The built-in {@link StripeResourceReader}s. */
public final class StripeReaders {
  private StripeReaders() {}

  /**
   * The default reader: OkHttp and Moshi, streaming each page's objects straight into records, so
   * it never holds more than one page.
   */
  public static StripeResourceReader streaming(StripeConnection connection) {
    Objects.requireNonNull(connection, "connection == null");
    return new StreamingResourceReader(connection.transport());
  }

  /**
   * A reader running stripe-java's request pipeline ({@code StripeClient.rawRequest}) on a Sluice
   * implementation of {@code com.stripe.net.HttpClient} over the connection's transport, so it
   * obeys the same throttle, proxy and logging. For teams that want stripe-java's own request
   * building; its answers are parsed into the same exact records.
   */
  public static StripeResourceReader stripeJava(StripeConnection connection) {
    Objects.requireNonNull(connection, "connection == null");
    return new StripeJavaResourceReader(connection, connection.transport(), connection.apiKey());
  }
}
