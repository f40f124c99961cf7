package dev.sluice.testkit.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key}: the first answer to a key is kept (24 hours by the emulator's clock);
 * the same key with the same request replays it with {@code Idempotent-Replayed: true}, with other
 * parameters it is an {@code idempotency_error}. A request that is still running when its key comes
 * again is waited for. Answers that may be retried (429, 5xx) are not kept.
 */
public final class Idempotency {
  /** How long a key is kept. */
  public static final long KEEP_SECONDS = 24L * 3600;

  private record Saved(String fingerprint, long at, CompletableFuture<Answer> answer) {}

  /** An answer with the request id it was first given. */
  public record Answer(ApiResponse response, String requestId) {}

  /** At most this many keys are kept; past it the oldest are forgotten first. */
  static final int MAX_KEYS = 50_000;

  private final Map<String, Saved> saved = new ConcurrentHashMap<>();
  private final java.util.Queue<String> order = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger count =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Backend backend;

  /** Keys dated by the backend's clock. */
  public Idempotency(Backend backend) {
    this.backend = backend;
  }

  /**
   * Runs a request under a key, or replays the answer saved for it.
   *
   * @param scope the account the key belongs to
   * @param fingerprint what makes two requests the same (method, path, parameters)
   */
  public Answer run(String scope, String key, Object fingerprint, String requestId,
      Supplier<ApiResponse> action) {
    if (key.length() > 255) {
      return new Answer(ApiResponse.of(ApiError.invalid(null,
          "Invalid Idempotency-Key: must be at most 255 characters (got " + key.length() + ").",
          null)), requestId);
    }
    String id = scope + "\u0000" + key;
    String print = String.valueOf(fingerprint);
    long now = backend.now();
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    Saved fresh = new Saved(print, now, mine);
    Saved existing = saved.compute(id, (k, old) ->
        old == null || old.at() < now - KEEP_SECONDS ? fresh : old);
    if (existing == fresh) {
      order.add(id);
      if (count.incrementAndGet() > MAX_KEYS) {
        String oldest = order.poll();
        if (oldest != null) {
          count.decrementAndGet();
          saved.computeIfPresent(oldest, (k, v) -> v.answer().isDone() ? null : v);
        }
      }
    }
    if (existing != fresh) {
      if (!Objects.equals(existing.fingerprint(), print)) {
        return new Answer(ApiResponse.of(ApiError.invalid(null,
            "Keys for idempotent requests can only be used with the same parameters they were"
                + " first used with. Try using a key other than '" + key + "' if you meant to"
                + " execute a different request.", null).withType("idempotency_error")),
            requestId);
      }
      Answer first = await(existing.answer());
      if (first == null) {
        return run(scope, key, fingerprint, requestId, action); // the first one was not kept
      }
      ApiResponse r = first.response();
      java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(r.headers());
      headers.put("Idempotent-Replayed", "true");
      headers.put("Idempotency-Key", key);
      return new Answer(r.withHeaders(headers), first.requestId());
    }
    ApiResponse response;
    try {
      response = action.get();
    } catch (RuntimeException e) {
      saved.remove(id, fresh);
      mine.complete(null);
      throw e;
    }
    if (response.status() == 429 || response.status() >= 500) {
      saved.remove(id, fresh);
      mine.complete(null);
    } else {
      mine.complete(new Answer(response, requestId));
    }
    response.headers().put("Idempotency-Key", key);
    return new Answer(response, requestId);
  }

  private static Answer await(CompletableFuture<Answer> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    }
  }
}
