package dev.sluice.stripe.internal;

import dev.sluice.core.SluiceException;
import dev.sluice.stripe.StripeConnectionException;
import dev.sluice.stripe.StripeResourceReader;
import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A time-sliced parallel backfill of one resource.
 *
 * <p>The {@code created} range is cut into slices; workers page through slices concurrently
 * (newest first within each), and a worker whose slice still has more pages splits off the older
 * half of what remains for an idle worker. Pages are handed to the caller's thread in the order
 * workers finished them, each with a checkpoint listing every unfinished slice and its cursor, so a
 * resumed backfill redoes no finished slice and no finished page. Slices are disjoint closed
 * ranges of whole seconds, so objects sharing a second are read exactly once.
 *
 * <p>A worker posts a page (and the slice it split off) before it starts the split-off slice, so
 * the caller always learns of a slice before any of its pages.
 */
public final class Backfill {
  /** One page of a slice, as a worker read it. */
  public record SlicePage(
      List<DataRecord> data, int requests, long bytes, SyncState stateAfter, String apiVersion,
      java.time.Instant readAt) {}

  /** Receives pages on the caller's thread. */
  public interface PageSink {
    /** Takes one page; called on the thread that runs the backfill, never concurrently. */
    void accept(SlicePage page);
  }

  private sealed interface Message permits Read, Failed {}

  private record Read(
      int sliceId, List<DataRecord> data, boolean sliceDone, Slice sliceAfter, int splitId,
      Slice split, int requests, long bytes, String apiVersion, java.time.Instant readAt)
      implements Message {}

  private record Failed(RuntimeException error) implements Message {}

  private static final String PAGE_LIMIT = Integer.toString(ResourceSync.PAGE_SIZE);

  private final StripeResourceReader reader;
  private final String path;
  private final Map<String, String> baseParams;
  private final int parallelism;
  private final boolean completeSubLists;
  private final java.time.Clock clock;

  /**
   * A backfill of one list.
   *
   * @param reader what reads the pages; called from several worker threads at once
   * @param path the list path, such as {@code /v1/charges}
   * @param baseParams the parameters every page request carries (the resource's list parameters)
   * @param parallelism how many worker threads read slices at once
   * @param completeSubLists whether embedded lists Stripe cuts short are paged to their end
   * @param clock what dates each page: the time its request was sent
   */
  public Backfill(
      StripeResourceReader reader, String path, Map<String, String> baseParams, int parallelism,
      boolean completeSubLists, java.time.Clock clock) {
    this.clock = clock;
    this.reader = reader;
    this.path = path;
    this.baseParams = baseParams;
    this.parallelism = parallelism;
    this.completeSubLists = completeSubLists;
  }

  /**
   * Reads every slice of {@code state} and hands each page to {@code sink}; returns the final
   * state, the incremental phase starting at the backfill's top second.
   */
  public SyncState run(SyncState state, PageSink sink) {
    Map<Integer, Slice> active = new LinkedHashMap<>();
    AtomicInteger ids = new AtomicInteger();
    AtomicInteger live = new AtomicInteger(state.slices().size());
    Set<String> seenAtTop = new LinkedHashSet<>(state.seenAtTop());
    long top = state.backfillTop();
    // Unbounded so a failure can always be posted; pages wait for a permit, which bounds memory.
    BlockingQueue<Message> results = new LinkedBlockingQueue<>();
    Semaphore room = new Semaphore(Math.max(4, parallelism * 2));
    ExecutorService workers = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "sluice-backfill-" + path);
      t.setDaemon(true);
      return t;
    });
    try {
      for (Slice slice : state.slices()) {
        int id = ids.incrementAndGet();
        active.put(id, slice);
        workers.execute(() -> work(id, slice, ids, live, room, results, workers));
      }
      while (!active.isEmpty()) {
        Message message = results.take();
        if (message instanceof Failed failed) {
          throw failed.error();
        }
        Read read = (Read) message;
        room.release();
        if (read.sliceDone()) {
          active.remove(read.sliceId());
        } else {
          active.put(read.sliceId(), read.sliceAfter());
        }
        if (read.split() != null) {
          active.put(read.splitId(), read.split());
        }
        for (DataRecord object : read.data()) {
          Long created = object.getLong("created");
          if (created != null && created == top) {
            seenAtTop.add(object.getString("id"));
          }
        }
        SyncState after = SyncState.backfill(top, new ArrayList<>(active.values()), seenAtTop)
            .withEvents(state.events());
        sink.accept(new SlicePage(read.data(), read.requests(), read.bytes(), after, read.apiVersion(),
            read.readAt()));
      }
      return SyncState.incremental(new ListCursor(top, seenAtTop, null, null, Set.of()))
          .withEvents(state.events());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StripeConnectionException("Interrupted while backfilling " + path, 0, null, null,
          null, null, e);
    } finally {
      workers.shutdownNow();
    }
  }

  private void work(int id, Slice start, AtomicInteger ids, AtomicInteger live, Semaphore room,
      BlockingQueue<Message> results, ExecutorService workers) {
    Slice slice = start;
    try {
      while (true) {
        Map<String, String> params = new LinkedHashMap<>(baseParams);
        params.put("limit", PAGE_LIMIT);
        params.put("created[gte]", Long.toString(slice.gte()));
        params.put("created[lte]", Long.toString(slice.lte()));
        if (slice.startingAfter() != null) {
          params.put("starting_after", slice.startingAfter());
        }
        java.time.Instant readAt = clock.instant();
        StripeResourceReader.ListPage page = reader.list(path, params);
        int requests = page.requests();
        long bytes = page.bytes();
        List<DataRecord> data = page.data();
        if (completeSubLists) {
          SubLists.CompletedPage completed = SubLists.completeAll(data, reader);
          data = completed.records();
          requests += completed.requests();
          bytes += completed.bytes();
        }
        if (!page.hasMore() || data.isEmpty()) {
          live.decrementAndGet();
          room.acquire();
          results.put(new Read(id, data, true, null, 0, null, requests, bytes, page.apiVersion(), readAt));
          return;
        }
        DataRecord last = data.get(data.size() - 1);
        Long lastCreated = last.getLong("created");
        if (lastCreated == null) {
          throw new SluiceException("An object listed from " + path + " has no 'created': " + last.getString("id"));
        }
        Slice rest = new Slice(slice.gte(), lastCreated, last.getString("id"));
        Slice split = null;
        int splitId = 0;
        // Split only while a worker would otherwise idle: narrow slices make short pages.
        if (lastCreated - slice.gte() >= 2 && live.get() < parallelism) {
          live.incrementAndGet();
          long mid = slice.gte() + (lastCreated - slice.gte()) / 2;
          split = new Slice(slice.gte(), mid, null);
          splitId = ids.incrementAndGet();
          rest = new Slice(mid + 1, lastCreated, last.getString("id"));
        }
        room.acquire();
        results.put(new Read(id, data, false, rest, splitId, split, requests, bytes, page.apiVersion(),
            readAt));
        if (split != null) {
          int newId = splitId;
          Slice newSlice = split;
          workers.execute(() -> work(newId, newSlice, ids, live, room, results, workers));
        }
        slice = rest;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Never block here: after a failure nobody may be taking from the queue any more.
      results.add(new Failed(e));
    }
  }
}
