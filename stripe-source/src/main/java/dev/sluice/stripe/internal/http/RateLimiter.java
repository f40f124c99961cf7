package dev.sluice.stripe.internal.http;

import dev.sluice.stripe.http.Throttle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The token buckets of a {@link Throttle}: one for the account, one per endpoint, one for search.
 *
 * <p>Each bucket is kept as a "theoretical arrival time" (the generic cell rate algorithm): a
 * request may go once every bucket it uses has a token; it then takes one from each. Slots are
 * reserved under a fair lock, so waiting requests go in the order they arrived; the wait itself
 * happens outside the lock and can be interrupted (the reserved slot is then simply lost).
 */
public final class RateLimiter {
  /** A clock and a way to wait on it; tests pass one that moves time by hand. */
  public interface Ticker {
    /** The system's monotonic clock and {@link TimeUnit#sleep}. */
    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
          }
        };

    /** Now, in nanoseconds of an arbitrary origin. */
    long nanoTime();

    /** Waits this long. */
    void sleep(long nanos) throws InterruptedException;
  }

  private static final Pattern PLAIN_SEGMENT = Pattern.compile("v[0-9]+|[a-z_]+");
  private static final int MAX_ENDPOINTS = 10_000;

  private final Ticker ticker;
  private final int burst;
  private final Bucket account;
  private final Bucket search;
  private final double perEndpoint;
  private final Map<String, Bucket> endpoints = new HashMap<>();
  private final ReentrantLock lock = new ReentrantLock(true);

  /** Limits for a key of the given mode. */
  public RateLimiter(Throttle throttle, boolean livemode, Ticker ticker) {
    this.ticker = ticker;
    this.burst = throttle.burst();
    long now = ticker.nanoTime();
    this.account = Bucket.of(throttle.requestsPerSecond(livemode), burst, now);
    this.search = Bucket.of(throttle.searchPerSecond(), burst, now);
    this.perEndpoint = throttle.perEndpointPerSecond();
  }

  /** The endpoint a request counts against: its method and path with ids replaced by {@code *}. */
  public static String endpoint(String method, String path) {
    StringBuilder out = new StringBuilder(method).append(' ');
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      out.append('/').append(PLAIN_SEGMENT.matcher(segment).matches() ? segment : "*");
    }
    return out.toString();
  }

  /**
   * Waits until a request to {@code path} may go.
   *
   * @return how long it waited, in nanoseconds
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public long acquire(String method, String path) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    // The endpoint's name is worked out before the lock (it runs a pattern over the path), and not
    // at all when endpoints are unlimited.
    String endpoint = perEndpoint == Throttle.UNLIMITED ? null : endpoint(method, path);
    List<Bucket> buckets = new ArrayList<>(3);
    long now;
    long at;
    lock.lockInterruptibly();
    try {
      now = ticker.nanoTime();
      if (account != null) {
        buckets.add(account);
      }
      if (search != null && path.endsWith("/search")) {
        buckets.add(search);
      }
      if (endpoint != null) {
        buckets.add(endpointBucket(endpoint, now));
      }
      at = now;
      for (Bucket b : buckets) {
        at = Math.max(at, b.earliest());
      }
      for (Bucket b : buckets) {
        b.take(at);
      }
    } finally {
      lock.unlock();
    }
    long wait = at - now;
    if (wait > 0) {
      ticker.sleep(wait);
    }
    return Math.max(0, wait);
  }

  /** The bucket of an endpoint, made on its first request; only with a per-endpoint limit. */
  private Bucket endpointBucket(String key, long now) {
    Bucket b = endpoints.get(key);
    if (b == null) {
      if (endpoints.size() >= MAX_ENDPOINTS) {
        // Forget endpoints whose buckets are full again: they behave as new ones.
        for (Iterator<Bucket> it = endpoints.values().iterator(); it.hasNext(); ) {
          if (it.next().idleAt(now)) {
            it.remove();
          }
        }
      }
      b = Bucket.of(perEndpoint, burst, now);
      endpoints.put(key, b);
    }
    return b;
  }

  /** One bucket: a token every {@code interval}, up to {@code burst} saved. */
  private static final class Bucket {
    final long interval;
    final long tolerance;
    long tat;

    private Bucket(long interval, int burst, long now) {
      this.interval = interval;
      this.tolerance = (burst - 1) * interval;
      this.tat = now;
    }

    static Bucket of(double perSecond, int burst, long now) {
      if (perSecond == Throttle.UNLIMITED) {
        return null;
      }
      return new Bucket(Math.max(1, Math.round(1e9 / perSecond)), burst, now);
    }

    long earliest() {
      return tat - tolerance;
    }

    void take(long at) {
      tat = Math.max(tat, at) + interval;
    }

    boolean idleAt(long now) {
      return tat <= now;
    }
  }
}
