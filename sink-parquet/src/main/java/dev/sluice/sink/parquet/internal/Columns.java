package dev.sluice.sink.parquet.internal;

import java.util.Map;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema of a file: the change columns first ({@value #OP}, {@value #ID}, {@value
 * #CHANGED_AT}), then the data columns from a {@link Shape}, then {@value #ABSENT}.
 */
public final class Columns {
  /** {@code UPSERT} or {@code DELETE}. */
  public static final String OP = "_sluice_op";
  /** The Stripe id the change is about. */
  public static final String ID = "_sluice_id";
  /** When the change happened at Stripe, UTC. */
  public static final String CHANGED_AT = "_sluice_changed_at";
  /**
   * The dotted paths of fields the record did not have (as opposed to having them with null); a
   * reader that does not care about that difference can ignore the column.
   */
  public static final String ABSENT = "_sluice_absent";
  /** What data columns may not start with. */
  public static final String RESERVED_PREFIX = "_sluice_";

  private Columns() {}

  /** The message type for rows whose data has this record shape. */
  public static MessageType messageType(Shape row) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    b.addField(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(OP));
    b.addField(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(ID));
    b.addField(Types.required(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
        .named(CHANGED_AT));
    for (Map.Entry<String, Shape> e : row.fields().entrySet()) {
      b.addField(type(e.getKey(), e.getValue(), Type.Repetition.OPTIONAL));
    }
    b.addField(Types.optionalGroup()
        .as(LogicalTypeAnnotation.listType())
        .addField(Types.repeatedGroup()
            .addField(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("element"))
            .named("list"))
        .named(ABSENT));
    return b.named("sluice_row");
  }

  /** The Parquet type of one column of a shape. */
  public static Type type(String name, Shape shape, Type.Repetition rep) {
    switch (shape.kind()) {
      case UNKNOWN:
      case STRING:
        return Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(name);
      case JSON:
        return Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.jsonType()).named(name);
      case BOOLEAN:
        return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
      case INT8:
        return Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.intType(8, true)).named(name);
      case INT16:
        return Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.intType(16, true)).named(name);
      case INT32:
        return Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.intType(32, true)).named(name);
      case INT64:
        return Types.primitive(PrimitiveTypeName.INT64, rep).as(LogicalTypeAnnotation.intType(64, true)).named(name);
      case DECIMAL:
        return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
            .length(16)
            .as(LogicalTypeAnnotation.decimalType(shape.scale(), Shape.MAX_PRECISION))
            .named(name);
      case DOUBLE:
        return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
      case DATE:
        return Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType()).named(name);
      case TIMESTAMP:
        return Types.primitive(PrimitiveTypeName.INT64, rep)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named(name);
      case RECORD: {
        Types.GroupBuilder<GroupType> g = Types.buildGroup(rep);
        for (Map.Entry<String, Shape> e : shape.fields().entrySet()) {
          g.addField(type(e.getKey(), e.getValue(), Type.Repetition.OPTIONAL));
        }
        if (shape.fields().isEmpty()) {
          // Parquet has no empty groups; an object seen only empty keeps a placeholder.
          g.addField(Types.optional(PrimitiveTypeName.BOOLEAN).named("_sluice_empty"));
        }
        return g.named(name);
      }
      case LIST:
        return Types.buildGroup(rep)
            .as(LogicalTypeAnnotation.listType())
            .addField(Types.repeatedGroup()
                .addField(type("element", shape.element(), Type.Repetition.OPTIONAL))
                .named("list"))
            .named(name);
      case MAP:
        return Types.buildGroup(rep)
            .as(LogicalTypeAnnotation.mapType())
            .addField(Types.repeatedGroup()
                .addField(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("key"))
                .addField(type("value", shape.element(), Type.Repetition.OPTIONAL))
                .named("key_value"))
            .named(name);
      default:
        throw new IllegalArgumentException(shape.kind().name());
    }
  }
}
