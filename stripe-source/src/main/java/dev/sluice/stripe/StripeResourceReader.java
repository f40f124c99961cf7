package dev.sluice.stripe;

import dev.sluice.xdm.DataRecord;
import java.util.List;
import java.util.Map;

/**
 * Reads Stripe lists and objects over HTTP: the part of a Stripe source that talks to the API.
 * Everything above it (slicing a backfill, cursors, events, sub-lists) is the same whichever
 * reader runs.
 *
 * <p>Two readers come built in, both going through the connection's one transport (and so its
 * throttle, retries, proxy and logging): {@link StripeReaders#streaming}, which streams each page
 * with OkHttp and Moshi and never holds more than one page, and {@link StripeReaders#stripeJava},
 * which runs stripe-java's own request pipeline. Plug in your own by implementing this interface;
 * {@code StripeResourceReaderContract} in the tests shows what it must do.
 *
 * <p>Implementations must be thread-safe: a parallel backfill calls one reader from several
 * threads. They report Stripe's refusals as {@link StripeException}s and never skip a page
 * silently.
 */
public interface StripeResourceReader {

  /**
   * Reads one page of a list.
   *
   * @param path the list path, such as {@code /v1/charges} or {@code /v1/invoices/in_1/lines}
   * @param params the query parameters in order ({@code limit}, {@code starting_after}, {@code
   *     created[gte]}, …)
   * @throws StripeException when Stripe refuses or cannot be reached after the retries
   */
  ListPage list(String path, Map<String, String> params);

  /**
   * Retrieves one object, such as {@code /v1/charges/ch_1}.
   *
   * @throws StripeException when Stripe refuses (a 404 is a {@link
   *     StripeInvalidRequestException} with code {@code resource_missing}) or cannot be reached
   */
  Fetched retrieve(String path, Map<String, String> params);

  /**
   * One page of a Stripe list.
   *
   * @param data the objects, newest first, keys in Stripe's order, numbers exact
   * @param hasMore whether more objects follow
   * @param requests how many HTTP requests it took, retries included
   * @param bytes how many bytes were read from the network
   * @param apiVersion the API version the objects are rendered in: the {@code Stripe-Version}
   *     header of Stripe's answer, or {@code null} when the answer had none
   */
  record ListPage(List<DataRecord> data, boolean hasMore, int requests, long bytes, String apiVersion) {
    /** Copies the list. */
    public ListPage {
      data = List.copyOf(data);
    }

    /** A page whose API version is not known. */
    public ListPage(List<DataRecord> data, boolean hasMore, int requests, long bytes) {
      this(data, hasMore, requests, bytes, null);
    }
  }

  /**
   * One retrieved object.
   *
   * @param object the object
   * @param requests how many HTTP requests it took, retries included
   * @param bytes how many bytes were read from the network
   * @param apiVersion the API version the object is rendered in: the {@code Stripe-Version}
   *     header of Stripe's answer, or {@code null} when the answer had none
   */
  record Fetched(DataRecord object, int requests, long bytes, String apiVersion) {
    /** An object whose API version is not known. */
    public Fetched(DataRecord object, int requests, long bytes) {
      this(object, requests, bytes, null);
    }
  }
}
