/**
 * A {@link dev.sluice.core.Sink} that writes plain Parquet files on a local filesystem, for
 * DuckDB, Spark, Trino or pandas to read: {@link dev.sluice.sink.parquet.ParquetSink}.
 */
package dev.sluice.sink.parquet;
