package dev.sluice.sink.parquet.internal;

import dev.sluice.core.ChangeEnvelope;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes {@link ChangeEnvelope}s as rows of a {@link Shape}, straight into Parquet's record
 * consumer. The same walk, without a consumer, checks a record against the shape ({@link #check})
 * so that a batch with a bad record is refused before any of it is staged.
 *
 * <p>It also keeps a 128-bit hash of everything written, which names the file so that a batch
 * written twice (a rerun after a crash) is recognised and not committed twice.
 */
public final class RowWriteSupport extends WriteSupport<ChangeEnvelope> {
  private final Shape row;
  private final MessageType schema;
  private final Map<String, String> footer;
  private RecordConsumer out;
  private Map<String, String> extra = Map.of();
  private final List<String> absent = new ArrayList<>();
  private long h1 = 0x243F6A8885A308D3L;
  private long h2 = 0x13198A2E03707344L;

  /**
   * A support writing rows of shape {@code row}; the file's footer gets {@code footer}'s
   * key-values and the shape (under {@link Shape#FOOTER_KEY}).
   */
  public RowWriteSupport(Shape row, Map<String, String> footer) {
    this.row = row;
    this.schema = Columns.messageType(row);
    this.footer = new HashMap<>(footer);
    this.footer.put(Shape.FOOTER_KEY, row.toRecord().toJson());
  }

  /** Required by Parquet (abstract there); the sink passes a ParquetConfiguration instead. */
  @Override
  @SuppressWarnings("deprecation")
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, footer);
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema, footer);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  /** Sets key-values added to the footer when the file is finished. */
  void extra(Map<String, String> values) {
    this.extra = values;
  }

  @Override
  public FinalizedWriteContext finalizeWrite() {
    return new FinalizedWriteContext(extra);
  }

  @Override
  public String getName() {
    return "sluice";
  }

  /** The hash of all rows written so far, as 32 hex digits. */
  public String hash() {
    return String.format("%016x%016x", fmix(h1 ^ h2 * 31), fmix(h2 ^ h1));
  }

  /**
   * Checks that a record fits the shape, as {@link #write} would write it.
   *
   * @throws IllegalArgumentException naming the field and the problem
   */
  public static void check(Shape row, DataRecord record) {
    new RowWriteSupport(row).fields(row, record, null, 0, false, true);
  }

  /** A support that only checks records. */
  private RowWriteSupport(Shape row) {
    this.row = row;
    this.schema = null;
    this.footer = null;
  }

  @Override
  public void write(ChangeEnvelope change) {
    out.startMessage();
    String op = change.operation().name();
    string(Columns.OP, 0, op);
    string(Columns.ID, 1, change.id());
    long micros = micros(change.changedAt());
    mix(micros);
    out.startField(Columns.CHANGED_AT, 2);
    out.addLong(micros);
    out.endField(Columns.CHANGED_AT, 2);
    absent.clear();
    if (change.operation() == ChangeEnvelope.Operation.UPSERT) {
      fields(row, change.record(), null, 3, true, false);
    }
    int absentIndex = 3 + row.fields().size();
    if (!absent.isEmpty()) {
      out.startField(Columns.ABSENT, absentIndex);
      out.startGroup();
      out.startField("list", 0);
      for (String path : absent) {
        out.startGroup();
        string("element", 0, path);
        out.endGroup();
      }
      out.endField("list", 0);
      out.endGroup();
      out.endField(Columns.ABSENT, absentIndex);
    }
    out.endMessage();
  }

  private void string(String field, int index, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    mix(bytes);
    out.startField(field, index);
    out.addBinary(Binary.fromConstantByteArray(bytes));
    out.endField(field, index);
  }

  /** Writes (or checks) the fields of a record, the first at column {@code first}. */
  private void fields(Shape shape, DataRecord rec, At path, int first, boolean trackAbsent, boolean dry) {
    String[] names = shape.names();
    Shape[] children = shape.children();
    int seen = 0;
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      int index = first + i;
      if (!rec.has(name)) {
        if (trackAbsent && !dry) {
          absent.add(new At(path, name, -1).toString());
        }
        mix(-1);
        continue;
      }
      seen++;
      Object v = rec.get(name);
      if (v == null) {
        mix(-2);
        continue;
      }
      if (!dry) {
        mix(index);
        out.startField(name, index);
      }
      value(children[i], v, new At(path, name, -1), trackAbsent, dry);
      if (!dry) {
        out.endField(name, index);
      }
    }
    if (seen < rec.size()) {
      for (String key : rec.keys()) {
        if (!shape.fields().containsKey(key)) {
          throw new IllegalArgumentException("field '" + new At(path, key, -1) + "' is not in the dataset's schema");
        }
      }
    }
  }

  private void value(Shape shape, Object v, At path, boolean trackAbsent, boolean dry) {
    switch (shape.kind()) {
      case UNKNOWN:
      case STRING: {
        if (!(v instanceof String s)) {
          throw wrong(path, "a string", v);
        }
        if (!dry) {
          byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
          mix(bytes);
          out.addBinary(Binary.fromConstantByteArray(bytes));
        }
        return;
      }
      case JSON: {
        if (!dry) {
          byte[] bytes = JsonValues.toJson(v).getBytes(StandardCharsets.UTF_8);
          mix(bytes);
          out.addBinary(Binary.fromConstantByteArray(bytes));
        }
        return;
      }
      case BOOLEAN: {
        if (!(v instanceof Boolean b)) {
          throw wrong(path, "a boolean", v);
        }
        if (!dry) {
          mix(b ? 3 : 4);
          out.addBoolean(b);
        }
        return;
      }
      case INT8:
      case INT16:
      case INT32:
      case INT64: {
        long l = whole(shape, v, path);
        if (!dry) {
          mix(l);
          if (shape.kind() == Shape.Kind.INT64) {
            out.addLong(l);
          } else {
            out.addInteger((int) l);
          }
        }
        return;
      }
      case DECIMAL: {
        byte[] bytes = decimal(shape.scale(), v, path);
        if (!dry) {
          mix(bytes);
          out.addBinary(Binary.fromConstantByteArray(bytes));
        }
        return;
      }
      case DOUBLE: {
        if (!(v instanceof Number n)) {
          throw wrong(path, "a number", v);
        }
        double d = n.doubleValue();
        if (Double.isInfinite(d)) {
          throw new IllegalArgumentException("field '" + path + "' holds " + v + ", too large for a double");
        }
        if (!dry) {
          mix(Double.doubleToLongBits(d));
          out.addDouble(d);
        }
        return;
      }
      case DATE: {
        if (!(v instanceof String s)) {
          throw wrong(path, "a date (yyyy-MM-dd)", v);
        }
        long day;
        try {
          day = LocalDate.parse(s).toEpochDay();
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("field '" + path + "' holds '" + s + "', which is not a date (yyyy-MM-dd)");
        }
        if (!dry) {
          mix(day);
          out.addInteger((int) day);
        }
        return;
      }
      case TIMESTAMP: {
        long micros = timestamp(v, path);
        if (!dry) {
          mix(micros);
          out.addLong(micros);
        }
        return;
      }
      case RECORD: {
        if (!(v instanceof DataRecord rec)) {
          throw wrong(path, "an object", v);
        }
        if (!dry) {
          out.startGroup();
        }
        fields(shape, rec, path, 0, trackAbsent, dry);
        if (!dry) {
          out.endGroup();
        }
        return;
      }
      case LIST: {
        if (!(v instanceof List<?> list)) {
          throw wrong(path, "an array", v);
        }
        if (!dry) {
          mix(list.size());
          out.startGroup();
          if (!list.isEmpty()) {
            out.startField("list", 0);
          }
        }
        int i = 0;
        for (Object item : list) {
          if (!dry) {
            out.startGroup();
          }
          if (item != null) {
            if (!dry) {
              out.startField("element", 0);
            }
            value(shape.element(), item, new At(path, null, i), false, dry);
            if (!dry) {
              out.endField("element", 0);
            }
          } else {
            mix(-2);
          }
          if (!dry) {
            out.endGroup();
          }
          i++;
        }
        if (!dry) {
          if (!list.isEmpty()) {
            out.endField("list", 0);
          }
          out.endGroup();
        }
        return;
      }
      case MAP: {
        if (!(v instanceof DataRecord rec)) {
          throw wrong(path, "an object (a map)", v);
        }
        if (!dry) {
          mix(rec.size());
          out.startGroup();
          if (!rec.isEmpty()) {
            out.startField("key_value", 0);
          }
        }
        for (String key : rec.keys()) {
          Object item = rec.get(key);
          if (!dry) {
            out.startGroup();
            string("key", 0, key);
          }
          if (item != null) {
            if (!dry) {
              out.startField("value", 1);
            }
            value(shape.element(), item, new At(path, key, -1), false, dry);
            if (!dry) {
              out.endField("value", 1);
            }
          } else {
            mix(-2);
          }
          if (!dry) {
            out.endGroup();
          }
        }
        if (!dry) {
          if (!rec.isEmpty()) {
            out.endField("key_value", 0);
          }
          out.endGroup();
        }
        return;
      }
      default:
        throw new IllegalStateException(shape.kind().name());
    }
  }

  private static long whole(Shape shape, Object v, At path) {
    long l;
    if (v instanceof Long x) {
      l = x;
    } else if (v instanceof BigInteger || v instanceof BigDecimal) {
      BigDecimal d = v instanceof BigInteger bi ? new BigDecimal(bi) : (BigDecimal) v;
      try {
        l = d.longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("field '" + path + "' holds " + v
            + ", which is not a whole number that fits " + shape);
      }
    } else {
      throw wrong(path, "a whole number", v);
    }
    long min;
    long max;
    switch (shape.kind()) {
      case INT8: min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; break;
      case INT16: min = Short.MIN_VALUE; max = Short.MAX_VALUE; break;
      case INT32: min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; break;
      default: return l;
    }
    if (l < min || l > max) {
      throw new IllegalArgumentException("field '" + path + "' holds " + l + ", outside the range of "
          + shape + " (" + min + ".." + max + ")");
    }
    return l;
  }

  private static byte[] decimal(int scale, Object v, At path) {
    BigDecimal d;
    if (v instanceof Long l) {
      d = BigDecimal.valueOf(l);
    } else if (v instanceof BigInteger bi) {
      d = new BigDecimal(bi);
    } else if (v instanceof BigDecimal bd) {
      d = bd;
    } else {
      throw wrong(path, "a number", v);
    }
    BigInteger unscaled;
    try {
      unscaled = d.setScale(scale).unscaledValue();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("field '" + path + "' holds " + v + ", which has more than "
          + scale + " decimals");
    }
    byte[] raw = unscaled.toByteArray();
    if (raw.length > 16 || unscaled.abs().toString().length() > Shape.MAX_PRECISION) {
      throw new IllegalArgumentException("field '" + path + "' holds " + v + ", which has more than "
          + Shape.MAX_PRECISION + " digits");
    }
    byte[] out = new byte[16];
    byte pad = (byte) (unscaled.signum() < 0 ? 0xFF : 0);
    int off = 16 - raw.length;
    for (int i = 0; i < off; i++) {
      out[i] = pad;
    }
    System.arraycopy(raw, 0, out, off, raw.length);
    return out;
  }

  private static long timestamp(Object v, At path) {
    if (v instanceof Long seconds) {
      // Stripe's timestamps are Unix seconds.
      return Math.multiplyExact(seconds, 1_000_000L);
    }
    if (v instanceof String s) {
      try {
        return micros(OffsetDateTime.parse(s).toInstant());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("field '" + path + "' holds '" + s
            + "', which is not an ISO-8601 date-time with an offset (2023-03-17T22:02:19Z)");
      }
    }
    throw wrong(path, "a date-time (ISO-8601 text or Unix seconds)", v);
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  private static IllegalArgumentException wrong(At path, String expected, Object v) {
    return new IllegalArgumentException("field '" + path + "' must be " + expected + " but holds "
        + JsonValues.describe(v));
  }

  private void mix(long v) {
    h1 = Long.rotateLeft((h1 ^ v) * 0x9E3779B97F4A7C15L, 31);
    h2 = Long.rotateLeft((h2 + v) * 0xC2B2AE3D27D4EB4FL, 27) ^ h1;
  }

  private void mix(byte[] bytes) {
    mix(bytes.length);
    long acc = 0;
    int n = 0;
    for (byte b : bytes) {
      acc = (acc << 8) | (b & 0xFF);
      if (++n == 8) {
        mix(acc);
        acc = 0;
        n = 0;
      }
    }
    if (n > 0) {
      mix(acc);
    }
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** Where a value is, made into a dotted path only when a message or the absent list needs it. */
  private static final class At {
    final At parent;
    final String name;
    final int item;

    At(At parent, String name, int item) {
      this.parent = parent;
      this.name = name;
      this.item = item;
    }

    @Override
    public String toString() {
      String head = parent == null ? "" : parent.toString();
      if (name == null) {
        return head + "[" + item + "]";
      }
      return head.isEmpty() ? name : head + "." + name;
    }
  }
}
