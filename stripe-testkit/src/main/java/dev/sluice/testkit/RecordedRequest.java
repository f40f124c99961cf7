package dev.sluice.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request the emulator received, as it arrived, for tests to assert on. The {@code
 * Authorization} and {@code Proxy-Authorization} headers are masked ({@code Bearer
 * sk_test_****abcd}): a key is never kept whole.
 */
public final class RecordedRequest {
  private final String method;
  private final String path;
  private final String query;
  private final Map<String, List<String>> headers;
  private final String body;
  private final String requestId;
  private final int status;

  /** Made by the emulator. */
  RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
      String body, String requestId, int status) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.requestId = requestId;
    this.status = status;
  }

  /** The HTTP method: {@code GET}, {@code POST}, {@code DELETE}. */
  public String method() {
    return method;
  }

  /** The path, without the query: {@code /v1/charges}. */
  public String path() {
    return path;
  }

  /** The raw query string without {@code ?}, or an empty string. */
  public String query() {
    return query;
  }

  /** The headers, names in lower case, in arrival order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The body as text (form-encoded for POSTs), or an empty string. */
  public String body() {
    return body;
  }

  /** The {@code Request-Id} of the answer, or null if the connection was dropped. */
  public String requestId() {
    return requestId;
  }

  /** The status answered, or 0 if the connection was dropped or cut. */
  public int status() {
    return status;
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordedRequest && Objects.equals(((RecordedRequest) o).requestId, requestId)
        && ((RecordedRequest) o).toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(requestId, method, path);
  }
}
