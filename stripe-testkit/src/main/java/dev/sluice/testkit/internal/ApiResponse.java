package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer to send: status, JSON body and extra headers.
 *
 * @param status the HTTP status
 * @param body the JSON body, or null when {@code raw} holds it as text
 * @param headers extra headers
 * @param raw the JSON body as text, or null when {@code body} holds it
 */
public record ApiResponse(int status, DataRecord body, Map<String, String> headers, String raw) {
  /** A 200 with this body. */
  public static ApiResponse ok(DataRecord body) {
    return new ApiResponse(200, body, new LinkedHashMap<>(), null);
  }

  /** A 200 with a body already written as JSON text. */
  public static ApiResponse okRaw(String json) {
    return new ApiResponse(200, null, new LinkedHashMap<>(), json);
  }

  /** The answer for an error. */
  public static ApiResponse of(ApiError e) {
    return new ApiResponse(e.status(), e.body(), new LinkedHashMap<>(e.headers()), null);
  }

  /** The same answer with other headers. */
  public ApiResponse withHeaders(Map<String, String> headers) {
    return new ApiResponse(status, body, headers, raw);
  }

  /** The body as JSON text. */
  public String json() {
    return raw != null ? raw : body.toJson();
  }
}
