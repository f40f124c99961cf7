package dev.sluice.stripe;

/** The contract, for the reader running stripe-java's pipeline over the Sluice transport. */
class StripeJavaReaderTest extends StripeResourceReaderContract {
  @Override
  StripeResourceReader reader(StripeConnection connection) {
    return StripeReaders.stripeJava(connection);
  }
}
