package dev.sluice.core;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The flows of an application, managed the way a flow service manages them: registered, read,
 * updated under optimistic concurrency (each entry has an {@code etag} that changes on every
 * change; a change made with a stale one is refused with a {@link StaleEtagException}), enabled,
 * disabled and deleted.
 *
 * <pre>{@code
 * FlowRegistry registry = FlowRegistry.file(Path.of("sluice/flows.json"));
 * RegisteredFlow charges = registry.register(chargesFlow);   // at start-up
 * RegisteredFlow updated = registry.update("charges", charges.etag(),
 *     b -> b.schedule(Schedule.every(1, Schedule.Frequency.HOUR)));
 * registry.disable("charges", updated.etag());
 * }</pre>
 *
 * <p><b>What is persisted.</b> A flow's source, mapping and sink are live objects the application
 * builds, so a file registry keeps what can be written down: id, name, description, schedule,
 * enabled, etag and times. On start-up the application registers its flows again; a flow found
 * in the file gets its stored name, description, schedule, enabled state and etag back, so
 * changes made at run time survive a restart. Changes to the live parts made through {@link
 * #update} last until the process ends.
 *
 * <p>Thread-safe within one process; the file is replaced atomically on every change. Two
 * processes must not share one file.
 */
public final class FlowRegistry {
  private final Path file;
  private final Clock clock;
  private final Map<String, RegisteredFlow> entries = new LinkedHashMap<>();
  private final Map<String, DataRecord> stored = new LinkedHashMap<>();

  private FlowRegistry(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    if (file != null) {
      load();
    }
  }

  /** A registry in memory: the default. */
  public static FlowRegistry inMemory() {
    return new FlowRegistry(null, Clock.systemUTC());
  }

  /** A registry persisted in a JSON file of the application's choice (created on first change). */
  public static FlowRegistry file(Path file) {
    return new FlowRegistry(Objects.requireNonNull(file, "file == null"), Clock.systemUTC());
  }

  /**
   * One registered flow and its management state.
   *
   * @param flow the flow, as last updated
   * @param etag changes on every change of this entry; give it back to change the entry
   * @param enabled whether the flow should be scheduled
   * @param createdAt when the flow was first registered
   * @param updatedAt when the entry last changed
   */
  public record RegisteredFlow(Flow flow, String etag, boolean enabled, Instant createdAt,
      Instant updatedAt) {
    /** Checks that the fields are given. */
    public RegisteredFlow {
      Objects.requireNonNull(flow, "flow == null");
      Objects.requireNonNull(etag, "etag == null");
    }

    /** The flow's id. */
    public String id() {
      return flow.id();
    }
  }

  /**
   * Registers a flow, or registers it again after a restart: if the store knows its id, the
   * stored name, description, schedule, enabled state and etag are applied to it.
   *
   * @throws IllegalStateException if a flow with this id is registered already in this process
   */
  public synchronized RegisteredFlow register(Flow flow) {
    Objects.requireNonNull(flow, "flow == null");
    if (entries.containsKey(flow.id())) {
      throw new IllegalStateException("a flow with id '" + flow.id()
          + "' is registered already: update it with update(id, etag, change) or delete it first");
    }
    DataRecord saved = stored.get(flow.id());
    RegisteredFlow entry;
    if (saved != null) {
      Flow.Builder b = flow.newBuilder().name(saved.getString("name"))
          .description(saved.getString("description"))
          .schedule(decodeSchedule(saved.getRecord("schedule")));
      entry = new RegisteredFlow(b.build(), saved.getString("etag"), saved.getBoolean("enabled"),
          Instant.parse(saved.getString("created_at")), Instant.parse(saved.getString("updated_at")));
    } else {
      Instant now = clock.instant();
      entry = new RegisteredFlow(flow, newEtag(), true, now, now);
    }
    put(entry);
    return entry;
  }

  /** The registered flow with this id. */
  public synchronized Optional<RegisteredFlow> get(String flowId) {
    return Optional.ofNullable(entries.get(flowId));
  }

  /** Every registered flow, in registration order. */
  public synchronized List<RegisteredFlow> list() {
    return List.copyOf(entries.values());
  }

  /**
   * Changes a flow: {@code change} gets a builder holding the flow's settings (name, description,
   * schedule, mapping, …) and returns it changed. The id cannot change.
   *
   * @throws StaleEtagException if {@code etag} is not the entry's current etag
   * @throws IllegalArgumentException if no flow has this id
   * @throws FlowDefinitionException if the changed flow is not valid; nothing changes
   */
  public synchronized RegisteredFlow update(String flowId, String etag, UnaryOperator<Flow.Builder> change) {
    RegisteredFlow current = check(flowId, etag);
    Flow changed = change.apply(current.flow().newBuilder()).build();
    if (!changed.id().equals(flowId)) {
      throw new FlowDefinitionException(List.of("id: a flow's id cannot change in an update (from '"
          + flowId + "' to '" + changed.id() + "'): register a new flow and delete this one"));
    }
    return replace(current, changed, current.enabled());
  }

  /**
   * Enables a flow.
   *
   * @throws StaleEtagException if {@code etag} is stale
   */
  public synchronized RegisteredFlow enable(String flowId, String etag) {
    RegisteredFlow current = check(flowId, etag);
    return replace(current, current.flow(), true);
  }

  /**
   * Disables a flow: it stays registered, but should not be scheduled.
   *
   * @throws StaleEtagException if {@code etag} is stale
   */
  public synchronized RegisteredFlow disable(String flowId, String etag) {
    RegisteredFlow current = check(flowId, etag);
    return replace(current, current.flow(), false);
  }

  /**
   * Deletes a flow from the registry.
   *
   * @throws StaleEtagException if {@code etag} is stale
   */
  public synchronized void delete(String flowId, String etag) {
    check(flowId, etag);
    entries.remove(flowId);
    stored.remove(flowId);
    save();
  }

  private RegisteredFlow check(String flowId, String etag) {
    Objects.requireNonNull(flowId, "flowId == null");
    Objects.requireNonNull(etag, "etag == null");
    RegisteredFlow current = entries.get(flowId);
    if (current == null) {
      throw new IllegalArgumentException("no flow with id '" + flowId + "' is registered: list() shows"
          + " the registered ones");
    }
    if (!current.etag().equals(etag)) {
      throw new StaleEtagException(flowId, etag, current.etag());
    }
    return current;
  }

  private RegisteredFlow replace(RegisteredFlow current, Flow flow, boolean enabled) {
    RegisteredFlow next = new RegisteredFlow(flow, newEtag(), enabled, current.createdAt(), clock.instant());
    put(next);
    return next;
  }

  private void put(RegisteredFlow entry) {
    Map<String, DataRecord> before = new LinkedHashMap<>(stored);
    stored.put(entry.id(), encode(entry));
    try {
      save();
    } catch (RuntimeException e) {
      stored.clear();
      stored.putAll(before);
      throw e;
    }
    entries.put(entry.id(), entry);
  }

  private static String newEtag() {
    return "\"" + UUID.randomUUID() + "\"";
  }

  private static DataRecord encode(RegisteredFlow e) {
    Schedule s = e.flow().schedule();
    DataRecord schedule = DataRecord.builder()
        .put("frequency", s.frequency().wireName())
        .put("interval", s.isRecurring() ? (Object) (long) s.interval() : null)
        .put("start_time", s.startTime() == null ? null : s.startTime().toString())
        .put("backfill", s.isRecurring() ? (Object) s.backfill() : null)
        .build();
    return DataRecord.builder()
        .put("id", e.id())
        .put("name", e.flow().name())
        .put("description", e.flow().description())
        .put("schedule", schedule)
        .put("enabled", e.enabled())
        .put("etag", e.etag())
        .put("created_at", e.createdAt().toString())
        .put("updated_at", e.updatedAt().toString())
        .build();
  }

  private static Schedule decodeSchedule(DataRecord r) {
    Schedule.Builder b = Schedule.builder()
        .frequency(Schedule.Frequency.valueOf(r.getString("frequency").toUpperCase(java.util.Locale.ROOT)));
    if (r.getLong("interval") != null) {
      b.interval(r.getLong("interval").intValue());
    }
    if (r.getString("start_time") != null) {
      b.startTime(Instant.parse(r.getString("start_time")));
    }
    if (r.getBoolean("backfill") != null) {
      b.backfill(r.getBoolean("backfill"));
    }
    return b.build();
  }

  private void load() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new SluiceException("Cannot read the flow registry " + file + ": " + e.getMessage(), e);
    }
    try {
      for (Object o : DataRecord.fromJson(text).getList("flows")) {
        DataRecord r = (DataRecord) o;
        stored.put(r.getString("id"), r);
      }
    } catch (RuntimeException e) {
      throw new SluiceException("The flow registry " + file + " is not a registry file ("
          + e.getMessage() + "): restore it from a backup or move it away", e);
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    String json = DataRecord.builder().put("flows", new ArrayList<>(stored.values())).build().toJson();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(temp, json, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new SluiceException("Cannot save the flow registry " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return file == null ? "FlowRegistry.inMemory()" : "FlowRegistry.file(" + file + ")";
  }
}
