package dev.sluice.sink.parquet;

import java.time.Instant;
import java.util.Objects;

/**
 * A change the Parquet sink made to a dataset's inferred schema: a field appeared, or a field's
 * type was widened (an unknown type became known, int64 became a decimal, disagreeing values became
 * JSON text). Files written before the change keep their schema; readers that merge schemas by
 * column name ({@code union_by_name=true} in DuckDB, {@code mergeSchema} in Spark) see both.
 *
 * @param dataset the dataset, such as {@code "charges"}
 * @param field the dotted path of the field ({@code outcome.risk_score}; {@code []} steps into items)
 * @param from the type before, or {@code null} when the field is new
 * @param to the type after
 * @param at when the sink made the change
 */
public record SchemaChange(String dataset, String field, String from, String to, Instant at) {
  /** Checks that dataset, field, to and at are given. */
  public SchemaChange {
    Objects.requireNonNull(dataset, "dataset == null");
    Objects.requireNonNull(field, "field == null");
    Objects.requireNonNull(to, "to == null");
    Objects.requireNonNull(at, "at == null");
  }

  @Override
  public String toString() {
    return dataset + "." + field + ": " + (from == null ? "added as " + to : from + " -> " + to);
  }
}
