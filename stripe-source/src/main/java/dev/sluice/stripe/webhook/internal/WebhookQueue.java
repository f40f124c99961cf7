package dev.sluice.stripe.webhook.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable queue of webhook events on disk: {@code queue.jsonl} holds one event per line,
 * appended and forced to the device before {@link #append} returns; {@code consumed} holds the byte
 * offset up to which events were taken off. An append cut short by a crash (no newline) is cut off
 * when the queue opens; once everything is consumed, the file starts over. Thread-safe.
 */
public final class WebhookQueue implements AutoCloseable {
  /** One queued event and the offset just past it (what {@link #consume} takes). */
  public record Entry(String json, long end) {}

  private final Path file;
  private final Path consumedFile;
  private final int maxEvents;
  private final FileChannel channel;
  private long consumed;
  private int pending;

  private WebhookQueue(Path dir, int maxEvents) throws IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve("queue.jsonl");
    this.consumedFile = dir.resolve("consumed");
    this.maxEvents = maxEvents;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    this.consumed = Files.exists(consumedFile)
        ? Long.parseLong(Files.readString(consumedFile, StandardCharsets.US_ASCII).strip()) : 0;
    long size = channel.size();
    long end = lastNewline(size);
    if (end < size) {
      channel.truncate(end); // an append a crash cut short was never acknowledged to Stripe
      channel.force(true);
    }
    if (consumed > end) {
      consumed = end;
    }
    this.pending = read(consumed, Long.MAX_VALUE, Integer.MAX_VALUE).size();
  }

  /**
   * Opens (or creates) the queue in {@code dir}.
   *
   * @param maxEvents how many unconsumed events it holds before refusing more
   */
  public static WebhookQueue open(Path dir, int maxEvents) {
    try {
      return new WebhookQueue(dir, maxEvents);
    } catch (IOException | NumberFormatException e) {
      throw new UncheckedIOException(new IOException("Cannot open the webhook queue in " + dir
          + ": " + e.getMessage() + " (delete the folder to start with an empty queue; events in it"
          + " are then read by the next events poll instead)", e));
    }
  }

  /** Whether another event fits. */
  public synchronized boolean full() {
    return pending >= maxEvents;
  }

  /** How many events are queued and not yet consumed. */
  public synchronized int pending() {
    return pending;
  }

  /**
   * Appends one event (a single line of JSON) and forces it to the device.
   *
   * @return false, appending nothing, if the queue is full
   */
  public synchronized boolean append(String json) {
    if (json.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("an event must be one line of JSON");
    }
    if (pending >= maxEvents) {
      return false;
    }
    byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      long at = channel.size();
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        at += channel.write(buffer, at);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to the webhook queue " + file, e);
    }
    pending++;
    return true;
  }

  /** Up to {@code max} events not yet consumed, oldest first. */
  public synchronized List<Entry> peek(int max) {
    try {
      return read(consumed, Long.MAX_VALUE, max);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the webhook queue " + file, e);
    }
  }

  /** Marks everything up to {@code entry} (inclusive) consumed, durably. */
  public synchronized void consume(Entry entry) {
    try {
      int taken = read(consumed, entry.end(), Integer.MAX_VALUE).size();
      long size = channel.size();
      if (entry.end() >= size) {
        // Everything is consumed: start the file over.
        writeConsumed(0);
        channel.truncate(0);
        channel.force(true);
        consumed = 0;
      } else {
        writeConsumed(entry.end());
        consumed = entry.end();
      }
      pending -= taken;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot mark events consumed in " + consumedFile, e);
    }
  }

  private void writeConsumed(long offset) throws IOException {
    Path tmp = consumedFile.resolveSibling("consumed.tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(Long.toString(offset).getBytes(StandardCharsets.US_ASCII)));
      out.force(true);
    }
    Files.move(tmp, consumedFile, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Up to {@code max} whole lines between the offsets {@code from} and {@code to}. */
  private List<Entry> read(long from, long to, int max) throws IOException {
    List<Entry> entries = new ArrayList<>();
    long size = Math.min(to, channel.size());
    if (from >= size) {
      return entries;
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - from));
    long at = from;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        break;
      }
      at += n;
    }
    byte[] bytes = buffer.array();
    int start = 0;
    for (int i = 0; i < buffer.position() && entries.size() < max; i++) {
      if (bytes[i] == '\n') {
        entries.add(new Entry(new String(bytes, start, i - start, StandardCharsets.UTF_8),
            from + i + 1));
        start = i + 1;
      }
    }
    return entries;
  }

  private long lastNewline(long size) throws IOException {
    long pos = size;
    ByteBuffer one = ByteBuffer.allocate(1);
    while (pos > 0) {
      one.clear();
      channel.read(one, pos - 1);
      if (one.get(0) == '\n') {
        return pos;
      }
      pos--;
    }
    return 0;
  }

  /** Closes the file. */
  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }
}
