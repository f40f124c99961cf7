package dev.sluice.stripe.http;

import dev.sluice.stripe.StripeReaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.internal.http.RateLimiter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The throttle: Stripe's limits by default, shared by everything on a connection, waiting in order. */
class ThrottleTest {
  static final long MS = 1_000_000L;

  /** A clock that only moves when someone waits on it. */
  static final class FakeTicker implements RateLimiter.Ticker {
    long now = 1_000 * MS;
    final List<Long> waits = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
      return now;
    }

    @Override
    public synchronized void sleep(long nanos) {
      waits.add(nanos);
      now += nanos;
    }
  }

  /** When each of {@code n} requests to {@code path} went, in ms after the first. */
  static List<Long> starts(RateLimiter limiter, FakeTicker ticker, String path, int n) throws InterruptedException {
    List<Long> out = new ArrayList<>();
    long origin = ticker.nanoTime();
    for (int i = 0; i < n; i++) {
      limiter.acquire("GET", path);
      out.add((ticker.nanoTime() - origin) / MS);
    }
    return out;
  }

  @Test
  void stripeDefaultsFollowThePublishedLimits() {
    Throttle t = Throttle.stripeDefaults();
    assertThat(t.requestsPerSecond(true)).isEqualTo(100);
    assertThat(t.requestsPerSecond(false)).isEqualTo(25);
    assertThat(t.perEndpointPerSecond()).isEqualTo(25);
    assertThat(t.searchPerSecond()).isEqualTo(20);
    assertThat(Throttle.perSecond(6).requestsPerSecond(true)).isEqualTo(6);
    assertThat(t.toString()).contains("live=100/s", "test=25/s", "search=20/s");
    assertThatThrownBy(() -> Throttle.builder().requestsPerSecond(0)).hasMessageContaining("requestsPerSecond");
    assertThatThrownBy(() -> Throttle.builder().burst(0)).hasMessageContaining("burst");
  }

  @Test
  void aTestKeyGetsTwentyFiveRequestsASecond() throws Exception {
    FakeTicker ticker = new FakeTicker();
    RateLimiter limiter = new RateLimiter(Throttle.stripeDefaults(), false, ticker);
    List<Long> at = new ArrayList<>();
    long origin = ticker.nanoTime();
    String[] paths = {"/v1/charges", "/v1/customers", "/v1/refunds"};
    for (int i = 0; i < 26; i++) {
      limiter.acquire("GET", paths[i % 3]);
      at.add((ticker.nanoTime() - origin) / MS);
    }
    assertThat(at.get(0)).isZero();
    assertThat(at.get(25)).isEqualTo(1_000); // the 26th request goes one second after the first
  }

  @Test
  void aLiveKeyIsHeldBackByTheEndpointLimitNotTheAccountLimit() throws Exception {
    FakeTicker ticker = new FakeTicker();
    RateLimiter limiter = new RateLimiter(Throttle.stripeDefaults(), true, ticker);
    assertThat(starts(limiter, ticker, "/v1/customers/cus_A1", 3)).containsExactly(0L, 40L, 80L);
    // Another endpoint has a bucket of its own, and ids do not make new endpoints.
    FakeTicker t2 = new FakeTicker();
    RateLimiter l2 = new RateLimiter(Throttle.stripeDefaults(), true, t2);
    l2.acquire("GET", "/v1/customers/cus_A1");
    l2.acquire("GET", "/v1/charges");
    assertThat(t2.waits).containsExactly(10 * MS); // only the account's 100/s spacing
    l2.acquire("GET", "/v1/customers/cus_B2");
    assertThat(t2.waits).containsExactly(10 * MS, 30 * MS); // 40 ms after the first customer read
    assertThat(RateLimiter.endpoint("POST", "/v1/payment_intents/pi_3Mtw/confirm"))
        .isEqualTo("POST /v1/payment_intents/*/confirm");
  }

  @Test
  void searchHasItsOwnLimitAndBurstsAreAllowedAfterAQuietSpell() throws Exception {
    FakeTicker ticker = new FakeTicker();
    RateLimiter limiter = new RateLimiter(Throttle.builder().perEndpointPerSecond(Throttle.UNLIMITED).build(), true, ticker);
    assertThat(starts(limiter, ticker, "/v1/charges/search", 3)).containsExactly(0L, 50L, 100L);

    FakeTicker t2 = new FakeTicker();
    RateLimiter bursty = new RateLimiter(Throttle.builder().requestsPerSecond(10).burst(3).build(), true, t2);
    assertThat(starts(bursty, t2, "/v1/charges", 5)).containsExactly(0L, 0L, 0L, 100L, 200L);
    t2.now += 1_000 * MS;
    assertThat(starts(bursty, t2, "/v1/charges", 4)).containsExactly(0L, 0L, 0L, 100L);
  }

  @Test
  void aWaitingRequestCanBeInterrupted() throws Exception {
    RateLimiter limiter = new RateLimiter(Throttle.perSecond(0.01), false, RateLimiter.Ticker.SYSTEM);
    limiter.acquire("GET", "/v1/charges"); // the next one would wait 100 s
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      try {
        limiter.acquire("GET", "/v1/charges");
      } catch (Throwable e) {
        thrown.set(e);
      }
      done.countDown();
    });
    waiter.start();
    waiter.interrupt();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void aReaderWaitingForTheThrottleStopsWhenInterruptedAndKeepsTheInterrupt() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().body("{\"object\":\"list\",\"data\":[],\"has_more\":false}").build();
        }
      });
      server.start(0);
      StripeConnection c = StripeConnection.builder().apiKey("sk_test_51ThrottleKey").apiBase(server.url("/").toString())
          .throttle(Throttle.perSecond(0.01)).maxRetries(3).build();
      StripeReaders.streaming(c).list("/v1/charges", java.util.Map.of("limit", "100")); // the next request may go in 100 s
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try {
          StripeReaders.streaming(c).list("/v1/charges", java.util.Map.of("limit", "100"));
        } catch (Throwable e) {
          thrown.set(e);
          stillInterrupted.set(Thread.currentThread().isInterrupted());
        }
        done.countDown();
      });
      reader.start();
      reader.interrupt();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(thrown.get()).isInstanceOf(dev.sluice.stripe.StripeConnectionException.class)
          .hasMessageContaining("Interrupted");
      assertThat(stillInterrupted.get()).isTrue();
      assertThat(server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void everyReaderOfAConnectionSharesOneThrottle() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          return new MockResponse.Builder().body("{\"object\":\"list\",\"data\":[],\"has_more\":false}").build();
        }
      });
      server.start(0);
      StripeConnection c = StripeConnection.builder().apiKey("sk_test_51ThrottleKey").apiBase(server.url("/").toString())
          .throttle(Throttle.builder().requestsPerSecond(50).perEndpointPerSecond(Throttle.UNLIMITED).build())
          .build();
      String[] resources = {"charges", "customers", "refunds", "prices"};
      List<Thread> readers = new ArrayList<>();
      long start = System.nanoTime();
      for (String resource : resources) {
        Thread t = new Thread(() -> {
          for (int i = 0; i < 5; i++) {
            StripeReaders.streaming(c).list("/v1/" + resource, java.util.Map.of("limit", "100"));
          }
        });
        readers.add(t);
        t.start();
      }
      for (Thread t : readers) {
        t.join(10_000);
      }
      long ms = (System.nanoTime() - start) / MS;
      assertThat(server.getRequestCount()).isEqualTo(20);
      // 20 requests at 50/s: the last goes 380 ms after the first, whichever reader sends it.
      assertThat(ms).isBetween(370L, 5_000L);
    }
  }

  @Test
  void throttleDefaultsToStripesAndIsShownWithoutSecrets() throws IOException {
    StripeConnection c = StripeConnection.builder().apiKey("sk_live_51ThrottleKey").build();
    assertThat(c.throttle()).isEqualTo(Throttle.stripeDefaults());
    assertThat(c.toString()).contains("mode=live", "throttle=Throttle{").doesNotContain("ThrottleKey");
  }
}
