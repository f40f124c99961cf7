package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record being built while one source record is mapped. Objects are created in the order the
 * rules write into them. When a whole-object (or whole-array) rule and a deeper rule write to the
 * same place they are merged: keys from both are kept, and where both give a value for the same
 * leaf the rule with the deeper destination wins (on equal depth, the later rule).
 *
 * <p>Not thread-safe; one tree per {@code apply} call.
 */
public final class OutputTree {
  private static final class Leaf {
    final Object value;
    final int depth;

    Leaf(Object value, int depth) {
      this.value = value;
      this.depth = depth;
    }
  }

  private static final class Obj {
    final LinkedHashMap<String, Object> slots = new LinkedHashMap<>();
  }

  private static final class Arr {
    final ArrayList<Object> slots = new ArrayList<>();
  }

  private final Obj root = new Obj();

  /** Thrown when a value at a {@code [*]} step of a destination is not an array. */
  public static final class NotAnArrayException extends Exception {
    private static final long serialVersionUID = 1L;

    NotAnArrayException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Writes a value at a destination path. A {@code [*]} step in the path spreads a list value over
   * the array's elements, one level of list per wildcard.
   */
  public void put(Path.Segment[] segments, Object value, int depth) throws NotAnArrayException {
    for (Path.Segment s : segments) {
      if (s.isWildcard()) {
        // check before creating any container, so a bad value leaves no trace
        if (value == null) {
          return;
        }
        if (!(value instanceof List)) {
          throw notAnArray(value);
        }
        break;
      }
    }
    put(root, segments, 0, value, depth);
  }

  private void put(Object container, Path.Segment[] segs, int pos, Object value, int depth)
      throws NotAnArrayException {
    for (int i = pos; i < segs.length; i++) {
      Path.Segment s = segs[i];
      if (s.isWildcard()) {
        if (value == null) {
          return; // nothing to spread; leave the array absent
        }
        if (!(value instanceof List)) {
          throw notAnArray(value);
        }
        List<?> items = (List<?>) value;
        for (int k = 0; k < items.size(); k++) {
          if (i == segs.length - 1) {
            merge(container, null, k, items.get(k), depth);
          } else {
            put(childContainer(container, null, k, segs[i + 1]), segs, i + 1, items.get(k), depth);
          }
        }
        return;
      }
      if (i == segs.length - 1) {
        merge(container, s.name, s.index, value, depth);
        return;
      }
      container = childContainer(container, s.name, s.index, segs[i + 1]);
    }
  }

  private static NotAnArrayException notAnArray(Object value) {
    return new NotAnArrayException("the value for '[*]' is " + JsonValues.describe(value) + ", not an array");
  }

  /** Finds or makes the container at one step, shaped for the step after it. */
  private Object childContainer(Object container, String name, int index, Path.Segment next) {
    boolean wantArray = next.name == null;
    Object existing = get(container, name, index);
    Object node;
    if (existing instanceof Obj && !wantArray || existing instanceof Arr && wantArray) {
      return existing;
    } else if (existing instanceof Leaf
        && (!wantArray && ((Leaf) existing).value instanceof DataRecord
            || wantArray && ((Leaf) existing).value instanceof List)) {
      node = expand(((Leaf) existing).value, ((Leaf) existing).depth);
    } else {
      // absent, or a value of another shape from a shallower rule: the deeper rule wins
      node = wantArray ? new Arr() : new Obj();
    }
    set(container, name, index, node);
    return node;
  }

  /** What a container holds at a key (objects) or an index (arrays); {@code null} for nothing yet. */
  private static Object get(Object container, String name, int index) {
    if (container instanceof Obj) {
      return ((Obj) container).slots.get(name);
    }
    ArrayList<Object> slots = ((Arr) container).slots;
    return index < slots.size() ? slots.get(index) : null;
  }

  private static void set(Object container, String name, int index, Object node) {
    if (container instanceof Obj) {
      ((Obj) container).slots.put(name, node);
    } else {
      ArrayList<Object> slots = ((Arr) container).slots;
      while (slots.size() <= index) {
        slots.add(null);
      }
      slots.set(index, node);
    }
  }

  private static Object expand(Object value, int depth) {
    if (value instanceof DataRecord) {
      Obj obj = new Obj();
      for (Map.Entry<String, Object> e : ((DataRecord) value).asMap().entrySet()) {
        obj.slots.put(e.getKey(), new Leaf(e.getValue(), depth));
      }
      return obj;
    }
    Arr arr = new Arr();
    for (Object item : (List<?>) value) {
      arr.slots.add(new Leaf(item, depth));
    }
    return arr;
  }

  private void merge(Object container, String name, int index, Object value, int depth) {
    Object existing = get(container, name, index);
    if (existing == null) {
      set(container, name, index, new Leaf(value, depth));
      return;
    }
    if (existing instanceof Leaf) {
      Leaf leaf = (Leaf) existing;
      boolean bothObjects = leaf.value instanceof DataRecord && value instanceof DataRecord;
      boolean bothArrays = leaf.value instanceof List && value instanceof List;
      if (bothObjects || bothArrays) {
        Object node = expand(leaf.value, leaf.depth);
        set(container, name, index, node);
        mergeInto(node, value, depth);
      } else if (depth >= leaf.depth) {
        set(container, name, index, new Leaf(value, depth));
      }
      return;
    }
    // an object or array node built by deeper rules
    if (existing instanceof Obj && value instanceof DataRecord
        || existing instanceof Arr && value instanceof List) {
      mergeInto(existing, value, depth);
    }
    // otherwise the deeper rules' content wins
  }

  private void mergeInto(Object node, Object value, int depth) {
    if (node instanceof Obj) {
      for (Map.Entry<String, Object> e : ((DataRecord) value).asMap().entrySet()) {
        merge(node, e.getKey(), -1, e.getValue(), depth);
      }
    } else {
      List<?> items = (List<?>) value;
      for (int k = 0; k < items.size(); k++) {
        merge(node, null, k, items.get(k), depth);
      }
    }
  }

  /** Whether nothing has been written. */
  public boolean isEmpty() {
    return root.slots.isEmpty();
  }

  /** The record built so far. */
  public DataRecord build() {
    return (DataRecord) freeze(root);
  }

  private static Object freeze(Object node) {
    if (node instanceof Leaf) {
      return ((Leaf) node).value;
    }
    if (node instanceof Obj) {
      DataRecord.Builder b = DataRecord.builder();
      for (Map.Entry<String, Object> e : ((Obj) node).slots.entrySet()) {
        b.put(e.getKey(), freeze(e.getValue()));
      }
      return b.build();
    }
    if (node == null) {
      return null; // a hole in an array
    }
    ArrayList<Object> slots = ((Arr) node).slots;
    List<Object> out = new ArrayList<>(slots.size());
    for (Object slot : slots) {
      out.add(freeze(slot));
    }
    return Collections.unmodifiableList(out);
  }
}
