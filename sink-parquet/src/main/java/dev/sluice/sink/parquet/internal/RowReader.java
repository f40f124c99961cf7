package dev.sluice.sink.parquet.internal;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * Reads the rows of one file this sink wrote back as {@link ChangeEnvelope}s, using the shape in
 * the file's footer; or, with {@link #idsOnly}, only the operation and id of each row.
 */
public final class RowReader implements Closeable {
  private final ParquetReader<Group> reader;
  private final Shape shape;
  private final String dataset;

  private RowReader(Path file, String dataset, boolean idsOnly) throws IOException {
    this.dataset = dataset;
    this.shape = shape(file);
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    if (idsOnly) {
      MessageType changeColumns = Columns.messageType(Shape.record(Map.of()));
      MessageType projection = Types.buildMessage()
          .addField(changeColumns.getType(Columns.OP))
          .addField(changeColumns.getType(Columns.ID))
          .named("sluice_ids");
      conf.set(ReadSupport.PARQUET_READ_SCHEMA, projection.toString());
    }
    this.reader = new Builder(new LocalInputFile(file), conf).withCodecFactory(new Codecs()).build();
  }

  /** Opens a file for reading whole rows. */
  public static RowReader rows(Path file, String dataset) throws IOException {
    return new RowReader(file, dataset, false);
  }

  /** Opens a file for reading only operations and ids (the record of each row is empty). */
  public static RowReader idsOnly(Path file, String dataset) throws IOException {
    return new RowReader(file, dataset, true);
  }

  /** The data shape stored in a file's footer. */
  public static Shape shape(Path file) throws IOException {
    String json = footer(file).get(Shape.FOOTER_KEY);
    if (json == null) {
      throw new IOException(file + " was not written by Sluice's Parquet sink (no " + Shape.FOOTER_KEY + " in its footer)");
    }
    return Shape.fromRecord(DataRecord.fromJson(json));
  }

  /** A file's key-value metadata. */
  public static Map<String, String> footer(Path file) throws IOException {
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withCodecFactory(new Codecs())
        .build();
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options)) {
      return r.getFooter().getFileMetaData().getKeyValueMetaData();
    }
  }

  /** The data shape of this file. */
  public Shape shape() {
    return shape;
  }

  /** The next row, or {@code null} at the end. */
  public ChangeEnvelope next() throws IOException {
    Group g = reader.read();
    if (g == null) {
      return null;
    }
    String op = g.getString(Columns.OP, 0);
    String id = g.getString(Columns.ID, 0);
    GroupType type = g.getType();
    Instant changedAt = Instant.EPOCH;
    DataRecord record = DataRecord.empty();
    if (type.containsField(Columns.CHANGED_AT)) {
      changedAt = instant(g.getLong(Columns.CHANGED_AT, 0));
      Set<String> absent = new HashSet<>();
      if (g.getFieldRepetitionCount(Columns.ABSENT) > 0) {
        Group list = g.getGroup(Columns.ABSENT, 0);
        for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
          absent.add(list.getGroup(0, i).getString(0, 0));
        }
      }
      if ("UPSERT".equals(op)) {
        record = record(shape, g, "", absent);
      }
    }
    return new ChangeEnvelope(dataset, id, ChangeEnvelope.Operation.valueOf(op), changedAt, record);
  }

  private static DataRecord record(Shape shape, Group g, String path, Set<String> absent) {
    DataRecord.Builder b = DataRecord.builder();
    for (Map.Entry<String, Shape> e : shape.fields().entrySet()) {
      String name = e.getKey();
      String p = path.isEmpty() ? name : path + "." + name;
      if (absent != null && absent.contains(p)) {
        continue;
      }
      if (g.getFieldRepetitionCount(name) == 0) {
        b.putNull(name);
      } else {
        b.put(name, value(e.getValue(), g, g.getType().getFieldIndex(name), p, absent));
      }
    }
    return b.build();
  }

  private static Object value(Shape shape, Group g, int field, String path, Set<String> absent) {
    switch (shape.kind()) {
      case UNKNOWN:
      case STRING:
        return g.getString(field, 0);
      case JSON:
        return JsonValues.parse(g.getString(field, 0));
      case BOOLEAN:
        return g.getBoolean(field, 0);
      case INT8:
      case INT16:
      case INT32:
        return (long) g.getInteger(field, 0);
      case INT64:
        return g.getLong(field, 0);
      case DECIMAL:
        return new BigDecimal(new BigInteger(g.getBinary(field, 0).getBytes()), shape.scale());
      case DOUBLE:
        return BigDecimal.valueOf(g.getDouble(field, 0));
      case DATE:
        return LocalDate.ofEpochDay(g.getInteger(field, 0)).toString();
      case TIMESTAMP:
        return instant(g.getLong(field, 0)).toString();
      case RECORD:
        return record(shape, g.getGroup(field, 0), path, absent);
      case LIST: {
        Group list = g.getGroup(field, 0);
        List<Object> out = new ArrayList<>();
        int n = list.getType().getFieldCount() == 0 ? 0 : list.getFieldRepetitionCount(0);
        for (int i = 0; i < n; i++) {
          Group item = list.getGroup(0, i);
          out.add(item.getFieldRepetitionCount(0) == 0 ? null : value(shape.element(), item, 0, path, null));
        }
        return out;
      }
      case MAP: {
        Group map = g.getGroup(field, 0);
        DataRecord.Builder b = DataRecord.builder();
        int n = map.getFieldRepetitionCount(0);
        for (int i = 0; i < n; i++) {
          Group kv = map.getGroup(0, i);
          String key = kv.getString(0, 0);
          b.put(key, kv.getFieldRepetitionCount(1) == 0 ? null : value(shape.element(), kv, 1, path, null));
        }
        return b.build();
      }
      default:
        throw new IllegalStateException(shape.kind().name());
    }
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  private static final class Builder extends ParquetReader.Builder<Group> {
    Builder(InputFile file, PlainParquetConfiguration conf) {
      super(file, conf);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
