package dev.sluice.sink.parquet.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A new local file for Parquet's writer, on java.nio (no Hadoop FileSystem). Closing the stream
 * forces the bytes to disk, so a file is durable before it is renamed into place.
 */
public final class NioOutputFile implements OutputFile {
  private final Path path;
  private FileChannel channel;

  /** The file at {@code path}, opened when Parquet's writer creates it. */
  public NioOutputFile(Path path) {
    this.path = path;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return open(StandardOpenOption.CREATE_NEW);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return open(StandardOpenOption.CREATE);
  }

  private PositionOutputStream open(StandardOpenOption mode) throws IOException {
    channel = FileChannel.open(path, mode, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    FileChannel ch = channel;
    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
    return new PositionOutputStream() {
      private long position;

      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        if (ch.isOpen()) {
          out.flush();
          ch.force(true);
          ch.close();
        }
      }
    };
  }

  /** Closes the file without finishing it (the writer's buffered rows are dropped). */
  public void abandon() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // The file is deleted next; nothing to keep.
    }
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path.toString();
  }
}
