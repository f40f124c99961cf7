package dev.sluice.core;

import java.util.List;

/**
 * Where a flow's records come from: one dataset of one system (a Stripe resource, say), read as
 * pages of changes from a checkpoint on.
 *
 * <p>A source is told where the previous run stopped (its own checkpoint text, or {@code null} on
 * the first run) and hands each page it reads to the {@link PageConsumer}, together with the
 * checkpoint that resumes reading <em>after</em> that page. The flow saves a page's checkpoint
 * only after the sink committed the page's records, so a source must be able to resume from any
 * checkpoint it handed out and must not skip or repeat records across one.
 *
 * <p>Checkpoints are plain text (usually JSON) owned by the source; they are stored as they are,
 * so they must never contain a secret.
 *
 * <p>Threading: a flow calls {@link #read} from one thread; the consumer must be called from that
 * same thread, in order.
 */
public interface ChangeSource {

  /** The dataset this source reads, such as {@code "charges"}; also the sink's dataset name. */
  String dataset();

  /**
   * Reads every change after {@code checkpoint} and hands them over page by page.
   *
   * @param checkpoint what an earlier page's {@link Page#checkpoint()} said, or {@code null} to
   *     start from the beginning
   * @throws SluiceException when reading fails; pages already handed over stay handed over
   */
  void read(String checkpoint, PageConsumer consumer);

  /**
   * Whether the run about to resume from {@code checkpoint} must be a full refresh: the source can
   * no longer tell what changed since (Stripe keeps events for 30 days, say), so the flow re-reads
   * everything from a {@code null} checkpoint and then deletes what the source no longer returned.
   * Into a sink that cannot list its ids the run still re-reads, and ends {@link
   * RunStatus#PARTIAL_SUCCESS} saying which deletions it could not apply. The default says no.
   *
   * @param checkpoint the checkpoint the run would resume from; never {@code null}
   */
  default boolean needsFullRefresh(String checkpoint) {
    return false;
  }

  /** Receives the pages a source reads. */
  @FunctionalInterface
  interface PageConsumer {
    /**
     * Takes one page. Throwing stops the read; the exception propagates out of {@link
     * ChangeSource#read}.
     */
    void accept(Page page);
  }

  /**
   * One page of changes and where reading resumes after it.
   *
   * @param changes the changes, in the order the source read them
   * @param checkpoint the checkpoint that resumes after this page
   * @param requests how many API requests reading this page took (retries included)
   * @param bytes how many bytes were read from the network for it
   * @param retries how many of those requests were retries of a failed one
   * @param apiVersion the API version the page's objects were read at (for Stripe, the {@code
   *     Stripe-Version} the answer carried), or {@code null} when the source does not know
   */
  record Page(List<ChangeEnvelope> changes, String checkpoint, int requests, long bytes, int retries,
      String apiVersion) {
    /** Copies the list of changes. */
    public Page {
      changes = List.copyOf(changes);
      if (retries < 0) {
        throw new IllegalArgumentException("retries < 0: " + retries);
      }
    }

    /** A page whose API version is not known. */
    public Page(List<ChangeEnvelope> changes, String checkpoint, int requests, long bytes, int retries) {
      this(changes, checkpoint, requests, bytes, retries, null);
    }

    /** A page whose reading needed no retry. */
    public Page(List<ChangeEnvelope> changes, String checkpoint, int requests, long bytes) {
      this(changes, checkpoint, requests, bytes, 0);
    }
  }
}
