/**
 * The Parquet sink's implementation: shapes and their Parquet types, the row writer and reader,
 * the file layout and compaction. Not an API; users never need these types.
 */
package dev.sluice.sink.parquet.internal;
