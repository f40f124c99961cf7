package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer to send: status, JSON body and extra headers.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param headers extra headers
 */
public record ApiResponse(int status, DataRecord body, Map<String, String> headers) {
  /** A 200 with this body. */
  public static ApiResponse ok(DataRecord body) {
    return new ApiResponse(200, body, new LinkedHashMap<>());
  }

  /** The answer for an error. */
  public static ApiResponse of(ApiError e) {
    return new ApiResponse(e.status(), e.body(), new LinkedHashMap<>(e.headers()));
  }
}
