package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer in Stripe's error envelope: {@code {"error":{"type":…,"code":…,"message":…,
 * "param":…}}} with its HTTP status. Thrown anywhere while a request is handled.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  private final int status;
  /** Stripe's error type. */
  private String type;
  /** Stripe's error code, or null. */
  private final String code;
  /** The parameter at fault, or null. */
  private final String param;
  /** Extra headers to answer with. */
  private final Map<String, String> headers = new LinkedHashMap<>();

  /** An error with Stripe's fields; {@code code} and {@code param} may be null. */
  public ApiError(int status, String type, String code, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  /** A 400 {@code invalid_request_error}. */
  public static ApiError invalid(String code, String message, String param) {
    return new ApiError(400, "invalid_request_error", code, message, param);
  }

  /** A 404 {@code resource_missing} for an object of this type and id. */
  public static ApiError missing(String objectType, String id, String param) {
    return new ApiError(404, "invalid_request_error", "resource_missing",
        "No such " + objectType.replace('.', '_') + ": '" + id + "'", param);
  }

  /** A 400 {@code parameter_unknown}. */
  public static ApiError unknownParameter(String param) {
    return invalid("parameter_unknown", "Received unknown parameter: " + param, param);
  }

  /** Changes the error's type ({@code idempotency_error}, {@code api_error}, …). */
  public ApiError withType(String type) {
    this.type = type;
    return this;
  }

  /** Adds a header to the answer. */
  public ApiError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Extra headers to answer with. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The error envelope; fields without a value are left out, as Stripe does. */
  public DataRecord body() {
    DataRecord.Builder e = DataRecord.builder();
    if (code != null) {
      e.put("code", code);
      e.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
    }
    e.put("message", getMessage());
    if (param != null) {
      e.put("param", param);
    }
    e.put("type", type);
    return DataRecord.builder().put("error", e.build()).build();
  }
}
