package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.List;

/** Small helpers to change nested fields of immutable {@link DataRecord}s. */
public final class Records {
  private Records() {}

  /**
   * Returns a copy of {@code record} with the value at a dotted path replaced; the path's objects
   * must exist and the last key must be present, otherwise the record is returned unchanged.
   */
  public static DataRecord setPath(DataRecord record, String path, Object value) {
    return set(record, path.split("\\."), 0, value);
  }

  private static DataRecord set(DataRecord record, String[] keys, int at, Object value) {
    String key = keys[at];
    if (record == null || !record.has(key)) {
      return record;
    }
    if (at == keys.length - 1) {
      return record.toBuilder().put(key, value).build();
    }
    Object child = record.get(key);
    if (!(child instanceof DataRecord)) {
      return record;
    }
    DataRecord changed = set((DataRecord) child, keys, at + 1, value);
    return changed == child ? record : record.toBuilder().put(key, changed).build();
  }

  /** The first element of a list field's {@code data}, or null. */
  public static DataRecord firstOf(DataRecord list) {
    if (list == null) {
      return null;
    }
    List<Object> data = list.getList("data");
    return data == null || data.isEmpty() || !(data.get(0) instanceof DataRecord)
        ? null
        : (DataRecord) data.get(0);
  }
}
