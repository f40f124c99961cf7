package dev.sluice.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to the shape of a dataset's records: a field appeared, or the type of a field changed.
 * Flows report the changes they see in the source's records in {@link FlowRun#schemaChanges()};
 * sinks that keep a schema (the Parquet sink's inferred schemas, say) report theirs with this type
 * too.
 *
 * <p>The type names are the reporter's own: a flow names JSON types ({@code string}, {@code
 * number}, {@code boolean}, {@code object}, {@code array}, {@code null}, and {@code a|b} for a
 * field seen with both); the Parquet sink names Parquet types ({@code int64}, {@code
 * decimal(38,2)}, …).
 *
 * @param dataset the dataset, such as {@code "charges"}
 * @param field the dotted path of the field ({@code outcome.risk_score}; {@code []} steps into
 *     the items of a list where a reporter looks into lists)
 * @param from the type before, or {@code null} when the field is new
 * @param to the type after
 * @param at when the change was seen
 */
public record SchemaChange(String dataset, String field, String from, String to, Instant at) {
  /** Checks that dataset, field, to and at are given. */
  public SchemaChange {
    Objects.requireNonNull(dataset, "dataset == null");
    Objects.requireNonNull(field, "field == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(at, "at == null");
  }

  /** Whether the field is new (it had no type before). */
  public boolean isNewField() {
    return from == null;
  }

  /** Whether a field already known changed its type. */
  public boolean isTypeChange() {
    return from != null;
  }

  /** {@code dataset.field: added as TYPE} or {@code dataset.field: FROM -> TO}. */
  @Override
  public String toString() {
    return dataset + "." + field + ": " + (from == null ? "added as " + to : from + " -> " + to);
  }
}
