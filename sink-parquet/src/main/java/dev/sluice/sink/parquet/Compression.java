package dev.sluice.sink.parquet;

/** How the Parquet sink compresses the pages of its files. Every reader named in the docs reads all three. */
public enum Compression {
  /** No compression: largest files, least CPU. */
  NONE,
  /** Snappy: fast, moderate size; the most widely supported codec. */
  SNAPPY,
  /** Zstandard at level 3: smaller files than snappy for a little more CPU. The default. */
  ZSTD
}
