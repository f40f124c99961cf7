package dev.sluice.sink.parquet.internal;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression without Hadoop: Parquet's own codec factory builds a Hadoop {@code
 * Configuration}, which needs Hadoop's runtime jars; this one calls snappy-java and zstd-jni
 * directly (both are dependencies of parquet-hadoop already).
 */
@SuppressWarnings("deprecation") // BytesInput.toByteArray: the codecs take whole arrays
public final class Codecs implements CompressionCodecFactory {
  /** The zstd level: 3 is zstd's default, a good balance of speed and size. */
  static final int ZSTD_LEVEL = 3;

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    check(codec);
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        switch (codec) {
          case SNAPPY:
            return BytesInput.from(Snappy.compress(bytes.toByteArray()));
          case ZSTD:
            return BytesInput.from(Zstd.compress(bytes.toByteArray(), ZSTD_LEVEL));
          default:
            return bytes;
        }
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    check(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        return BytesInput.from(inflate(bytes.toByteArray(), uncompressedSize));
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        byte[] in = new byte[compressedSize];
        input.get(in);
        output.put(inflate(in, uncompressedSize));
      }

      private byte[] inflate(byte[] in, int size) throws IOException {
        switch (codec) {
          case SNAPPY: {
            byte[] out = new byte[size];
            Snappy.uncompress(in, 0, in.length, out, 0);
            return out;
          }
          case ZSTD:
            return Zstd.decompress(in, size);
          default:
            return in;
        }
      }

      @Override
      public void release() {}
    };
  }

  private static void check(CompressionCodecName codec) {
    switch (codec) {
      case UNCOMPRESSED:
      case SNAPPY:
      case ZSTD:
        return;
      default:
        throw new IllegalArgumentException("Sluice reads and writes Parquet pages compressed with"
            + " snappy, zstd or nothing, not " + codec);
    }
  }

  @Override
  public void release() {}
}
