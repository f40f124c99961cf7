package dev.sluice.stripe;

/** The contract, for the OkHttp + Moshi streaming reader. */
class StreamingReaderTest extends StripeResourceReaderContract {
  @Override
  StripeResourceReader reader(StripeConnection connection) {
    return StripeReaders.streaming(connection);
  }
}
