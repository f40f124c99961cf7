package dev.sluice.testkit.internal;

import java.util.List;
import java.util.Map;

/**
 * One decoded API request.
 *
 * @param method the HTTP method
 * @param path the path, without the query
 * @param query the decoded query string
 * @param form the decoded form body (empty for GET and DELETE)
 * @param headers the request headers, names in lower case
 * @param account the {@code Stripe-Account} header's value, or null
 * @param requestId the {@code Request-Id} the answer will carry
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, Object> query,
    Map<String, Object> form,
    Map<String, List<String>> headers,
    String account,
    String requestId) {

  /** The parameters: the query for GET and DELETE, the form body otherwise. */
  public Map<String, Object> params() {
    return method.equals("GET") || method.equals("DELETE") ? merged() : form;
  }

  private Map<String, Object> merged() {
    if (form.isEmpty()) {
      return query;
    }
    Map<String, Object> m = new java.util.LinkedHashMap<>(query);
    m.putAll(form);
    return m;
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
