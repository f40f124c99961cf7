package dev.sluice.stripe.webhook;

import dev.sluice.stripe.webhook.WebhookRefusedException.Reason;
import dev.sluice.stripe.webhook.internal.WebhookQueue;
import dev.sluice.xdm.DataRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Stripe's webhook deliveries: verifies each, appends the event to a durable queue on disk
 * (forced to the device) and only then answers 2xx, so that an event Stripe was told was received
 * survives a crash right after the answer. A full queue answers 503 and Stripe retries later.
 *
 * <p>Call it from any HTTP framework, with the body exactly as received:
 *
 * <pre>{@code
 * WebhookReceiver receiver = WebhookReceiver.builder()
 *     .verifier(WebhookVerifier.builder().secret(secret).build())
 *     .queueDirectory(Path.of("lake/.sluice/webhooks"))
 *     .build();
 * // in a servlet or a Spring controller:
 * WebhookReceiver.Answer answer = receiver.receive(request.getMethod(),
 *     request.getContentType(), body, request.getHeader("Stripe-Signature"));
 * response.setStatus(answer.status());
 * }</pre>
 *
 * <p>or serve it on the JDK's HTTP server with {@link WebhookServer}. The events wait in the
 * queue for whoever applies them ({@link #pending}, {@link #acknowledge}). Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

  /** How many events the queue holds unless set otherwise. */
  public static final int DEFAULT_MAX_QUEUED_EVENTS = 100_000;

  private final WebhookVerifier verifier;
  private final WebhookQueue queue;
  private final Path directory;

  /**
   * What to answer Stripe.
   *
   * @param status the HTTP status: 200 when the event is queued, else the refusal's
   * @param body a short JSON body saying so
   * @param event the verified event, or null when refused
   * @param refusal the refusal, or null when queued
   */
  public record Answer(int status, String body, DataRecord event, WebhookRefusedException refusal) {
    /** Whether the delivery was accepted and queued. */
    public boolean accepted() {
      return refusal == null;
    }
  }

  /**
   * A queued event and its place in the queue.
   *
   * @param event the Stripe event
   * @param position where it lies; {@link #acknowledge} takes it
   */
  public record QueuedEvent(DataRecord event, long position) {}

  private WebhookReceiver(Builder b) {
    this.verifier = b.verifier;
    this.directory = b.directory;
    this.queue = WebhookQueue.open(b.directory, b.maxQueuedEvents);
  }

  /** A builder; the verifier and the queue directory are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Handles one delivery: verifies it and queues the event durably. Never throws for a bad
   * delivery: the answer carries the status and the reason.
   */
  public Answer receive(String method, String contentType, byte[] body, String signatureHeader) {
    DataRecord event;
    try {
      event = verifier.verify(method, contentType, body, signatureHeader);
    } catch (WebhookRefusedException e) {
      LOG.warn("Refused a webhook delivery ({}): {}", e.reason(), e.getMessage());
      return refused(e);
    }
    if (!queue.append(event.toJson())) {
      WebhookRefusedException full = new WebhookRefusedException(Reason.QUEUE_FULL,
          "The webhook queue in " + directory + " is full; Stripe retries the delivery later");
      LOG.warn(full.getMessage());
      return refused(full);
    }
    return new Answer(200, "{\"received\":true}", event, null);
  }

  private static Answer refused(WebhookRefusedException e) {
    String message = e.getMessage().replace("\\", "\\\\").replace("\"", "\\\"");
    return new Answer(e.httpStatus(), "{\"error\":\"" + message + "\"}", null, e);
  }

  /** Up to {@code max} queued events, oldest first, not yet acknowledged. */
  public List<QueuedEvent> pending(int max) {
    List<QueuedEvent> events = new ArrayList<>();
    for (WebhookQueue.Entry e : queue.peek(max)) {
      events.add(new QueuedEvent(DataRecord.fromJson(e.json()), e.end()));
    }
    return events;
  }

  /** How many events are queued and not yet acknowledged. */
  public int queued() {
    return queue.pending();
  }

  /** Removes {@code last} and every event before it from the queue, durably. */
  public void acknowledge(QueuedEvent last) {
    Objects.requireNonNull(last, "last == null");
    queue.consume(new WebhookQueue.Entry("", last.position()));
  }

  /** Closes the queue's file. */
  @Override
  public void close() {
    queue.close();
  }

  @Override
  public String toString() {
    return "WebhookReceiver{" + verifier + ", queue=" + directory + "}";
  }

  /** Builds a {@link WebhookReceiver}. */
  public static final class Builder {
    private WebhookVerifier verifier;
    private Path directory;
    private int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;

    private Builder() {}

    /** What checks each delivery. Required. */
    public Builder verifier(WebhookVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier == null");
      return this;
    }

    /** The folder the queue lives in, such as the flow's state directory's {@code webhooks}. Required. */
    public Builder queueDirectory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory == null");
      return this;
    }

    /**
     * How many events wait before deliveries are answered 503; default {@link
     * #DEFAULT_MAX_QUEUED_EVENTS}.
     *
     * @throws IllegalArgumentException unless positive
     */
    public Builder maxQueuedEvents(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxQueuedEvents must be positive, was " + max);
      }
      this.maxQueuedEvents = max;
      return this;
    }

    /**
     * Opens the queue and returns the receiver.
     *
     * @throws dev.sluice.core.FlowDefinitionException listing what is missing
     */
    public WebhookReceiver build() {
      List<String> problems = new ArrayList<>();
      if (verifier == null) {
        problems.add("verifier is not set: give a WebhookVerifier with the endpoint's secret");
      }
      if (directory == null) {
        problems.add("queueDirectory is not set: give a folder for the durable queue");
      }
      if (!problems.isEmpty()) {
        throw new dev.sluice.core.FlowDefinitionException(problems);
      }
      return new WebhookReceiver(this);
    }
  }
}
