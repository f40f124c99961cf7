package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonReader;
import dev.sluice.core.ChangeEnvelope;
import dev.sluice.core.InMemorySink;
import dev.sluice.core.Sink;
import dev.sluice.core.Sinks;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the change-feed tests share: a clock they move, the emulator on it, and a sink that keeps every version. */
final class ChangeFeedSupport {
  private ChangeFeedSupport() {}

  /**
   * A clock tests move by hand; the emulator and the source share it. With a tick, every reading
   * moves it on a little, so reads and writes in one run still happen one after another.
   */
  static final class MutableClock extends Clock {
    private final java.util.concurrent.atomic.AtomicReference<Instant> now;
    private volatile Duration tick = Duration.ZERO;

    MutableClock(Instant start) {
      this.now = new java.util.concurrent.atomic.AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    MutableClock ticking(Duration tick) {
      this.tick = tick;
      return this;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      Duration t = tick;
      return t.isZero() ? now.get() : now.getAndUpdate(i -> i.plus(t));
    }
  }

  /**
   * Backfills customers through {@code source}, then updates the first {@code count} of them at
   * Stripe, 50 a second, and moves the clock a second on.
   */
  static Updated backfillThenUpdateCustomers(SourceConnection source, StripeConnection stripe,
      MutableClock clock, int count) {
    String[] checkpoint = {null};
    source.read(null, page -> checkpoint[0] = page.checkpoint());
    java.util.List<String> ids = new java.util.ArrayList<>(
        current(stripe, "/v1/customers", Map.of()).keySet()).subList(0, count);
    for (int i = 0; i < ids.size(); i++) {
      if (i % 50 == 0) {
        clock.advance(Duration.ofSeconds(1));
      }
      post(stripe, "/v1/customers/" + ids.get(i), Map.of("metadata", Map.of("n", Integer.toString(i))));
    }
    clock.advance(Duration.ofSeconds(1));
    return new Updated(checkpoint[0], ids);
  }

  /** The checkpoint after a backfill, and the ids then updated, oldest update first. */
  record Updated(String checkpoint, java.util.List<String> ids) {}

  /** An in-memory sink that also keeps every committed change, in order. */
  static final class RecordingSink implements Sink {
    final InMemorySink state = Sinks.inMemory();
    private final List<ChangeEnvelope> staged = new ArrayList<>();
    final List<ChangeEnvelope> committed = new ArrayList<>();

    @Override
    public synchronized void write(String dataset, List<ChangeEnvelope> changes) {
      state.write(dataset, changes);
      staged.addAll(changes);
    }

    @Override
    public synchronized void commit() {
      state.commit();
      committed.addAll(staged);
      staged.clear();
    }

    @Override
    public synchronized void abort() {
      state.abort();
      staged.clear();
    }

    @Override
    public Optional<Set<String>> currentIds(String dataset) {
      return state.currentIds(dataset);
    }

    /** The changes committed since the last call. */
    synchronized List<ChangeEnvelope> takeNew(int[] seen) {
      List<ChangeEnvelope> out = new ArrayList<>(committed.subList(seen[0], committed.size()));
      seen[0] = committed.size();
      return out;
    }

    /**
     * Checks that no version was written twice: no id with the same version time twice, no
     * deleted stub written as an upsert, nothing after a delete, version times that only grow per
     * id and, if asked, no upsert repeating the record the sink already held.
     */
    synchronized void assertNoVersionTwice(boolean unchangedRecordsToo) {
      Set<String> seen = new HashSet<>();
      Map<String, ChangeEnvelope> last = new LinkedHashMap<>();
      for (ChangeEnvelope c : committed) {
        assertThat(seen.add(c.id() + "@" + c.versionTime())).as("%s written twice at %s", c.id(), c.versionTime())
            .isTrue();
        ChangeEnvelope before = last.get(c.id());
        if (before != null) {
          assertThat(c.isNewerThan(before)).as("%s: a version no newer than the one before", c.id()).isTrue();
          if (unchangedRecordsToo && c.operation() == ChangeEnvelope.Operation.UPSERT
              && before.operation() == ChangeEnvelope.Operation.UPSERT) {
            assertThat(c.record()).as("%s written again unchanged", c.id()).isNotEqualTo(before.record());
          }
          assertThat(before.operation()).as("%s written after its delete", c.id())
              .isEqualTo(ChangeEnvelope.Operation.UPSERT);
        }
        if (c.operation() == ChangeEnvelope.Operation.UPSERT) {
          assertThat(c.record().has("deleted")).as("%s: a deleted stub written as an upsert", c.id()).isFalse();
        }
        last.put(c.id(), c);
      }
    }
  }

  /** Checks the sink holds exactly Stripe's objects; on a difference, says which ids differ and how. */
  static void assertSameState(Map<String, DataRecord> sink, Map<String, DataRecord> stripe) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, DataRecord> e : stripe.entrySet()) {
      DataRecord held = sink.get(e.getKey());
      if (held == null) {
        problems.add("missing " + e.getKey());
      } else if (!held.equals(e.getValue())) {
        problems.add("stale " + e.getKey() + ": holds " + held.get("metadata") + " " + held.get("name")
            + ", Stripe has " + e.getValue().get("metadata") + " " + e.getValue().get("name"));
      }
    }
    sink.keySet().stream().filter(id -> !stripe.containsKey(id)).forEach(id -> problems.add("not deleted " + id));
    assertThat(problems).as("how the sink differs from Stripe").isEmpty();
  }

  static StripeConnection connect(StripeEmulator emulator) {
    return StripeConnection.builder().apiKey("sk_test_changefeed").apiBase(emulator.baseUrl())
        // Retries as a user has them: a connection the loaded test machine drops is not what these
        // tests are about (a run failing for it once made LateEventsTest fail under full load).
        .throttle(Throttle.none()).maxRetries(2).initialBackoff(java.time.Duration.ZERO).build();
  }

  static DataRecord post(StripeConnection c, String path, Map<String, ?> form) {
    return c.transport().post(path, form, null, body -> JsonValues.readRecord(JsonReader.of(body))).value();
  }

  static void delete(StripeConnection c, String path) {
    c.transport().delete(path, Map.of(), body -> null);
  }

  static DataRecord get(StripeConnection c, String path) {
    return c.transport().get(path, List.of(), body -> JsonValues.readRecord(JsonReader.of(body))).value();
  }

  /** Every object of a list, fetched over HTTP, by id. */
  static Map<String, DataRecord> current(StripeConnection c, String path, Map<String, String> extra) {
    Map<String, DataRecord> all = new LinkedHashMap<>();
    String after = null;
    while (true) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      extra.forEach((k, v) -> params.add(Map.entry(k, v)));
      params.add(Map.entry("limit", "100"));
      if (after != null) {
        params.add(Map.entry("starting_after", after));
      }
      DataRecord page = c.transport().get(path, params, body -> JsonValues.readRecord(JsonReader.of(body))).value();
      List<Object> data = page.getList("data");
      for (Object o : data) {
        DataRecord r = (DataRecord) o;
        all.put(r.getString("id"), r);
      }
      if (!page.getBoolean("has_more") || data.isEmpty()) {
        return all;
      }
      after = ((DataRecord) data.get(data.size() - 1)).getString("id");
    }
  }
}
