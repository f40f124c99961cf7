package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed Data Prep path: field names, {@code [n]} indexes and {@code [*]} wildcards, parsed once
 * so that reading a record walks an array of segments with no text handling.
 */
public final class Path {
  /** Marker for "no value here", distinct from JSON {@code null}. */
  public static final Object ABSENT =
      new Object() {
        @Override
        public String toString() {
          return "<absent>";
        }
      };

  /** One step of a path. */
  public static final class Segment {
    /** The field name, or {@code null} for an index or a wildcard. */
    public final String name;
    /** The index, or -1 for a field name, or {@link #WILDCARD}. */
    public final int index;

    static final int WILDCARD = -2;

    private Segment(String name, int index) {
      this.name = name;
      this.index = index;
    }

    /** Whether this step is {@code [*]}. */
    public boolean isWildcard() {
      return index == WILDCARD;
    }

    /** Whether this step is {@code [n]}. */
    public boolean isIndex() {
      return index >= 0;
    }

    /** Whether this step is a field name. */
    public boolean isName() {
      return name != null;
    }

    static Segment field(String name) {
      return new Segment(name, -1);
    }

    @Override
    public String toString() {
      if (name != null) {
        return escape(name);
      }
      return index == WILDCARD ? "[*]" : "[" + index + "]";
    }
  }

  private final String text;
  private final Segment[] segments;

  private Path(String text, Segment[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /** The text the path was parsed from. */
  public String text() {
    return text;
  }

  /**
   * The path in one spelling for each path: escapes only where needed, so that {@code x},
   * {@code ${x}} and {@code \\x} give the same text.
   */
  public String canonicalText() {
    StringBuilder out = new StringBuilder();
    for (Segment s : segments) {
      if (s.name != null && out.length() > 0) {
        out.append('.');
      }
      out.append(s);
    }
    return out.toString();
  }

  /** The segments; callers must not change the array. */
  public Segment[] segments() {
    return segments;
  }

  /** The number of segments. */
  public int length() {
    return segments.length;
  }

  /** The number of {@code [*]} wildcards. */
  public int wildcards() {
    int n = 0;
    for (Segment s : segments) {
      if (s.isWildcard()) {
        n++;
      }
    }
    return n;
  }

  /** The path without its first {@code n} segments. */
  public Path drop(int n) {
    Segment[] rest = new Segment[segments.length - n];
    System.arraycopy(segments, n, rest, 0, rest.length);
    return new Path(text, rest);
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException with a message naming the position and the problem
   */
  public static Path parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("the path is empty");
    }
    List<Segment> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    boolean expectName = true;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("'[' at position " + i + " of '" + text + "' is never closed");
        }
        String inner = text.substring(i + 1, close).trim();
        if (inner.equals("*")) {
          out.add(new Segment(null, Segment.WILDCARD));
        } else {
          if (inner.isEmpty() || !inner.chars().allMatch(Character::isDigit) || inner.length() > 9) {
            throw new IllegalArgumentException(
                "'[" + inner + "]' in '" + text + "' is not an index: use [0], [1], ... or [*]");
          }
          out.add(new Segment(null, Integer.parseInt(inner)));
        }
        i = close + 1;
        int next = afterSegment(text, i, true);
        expectName = next != i;
        i = next;
        continue;
      }
      if (!expectName) {
        throw new IllegalArgumentException("unexpected '" + c + "' at position " + i + " of '" + text + "'");
      }
      StringBuilder name = new StringBuilder();
      if (c == '$' && i + 1 < n && text.charAt(i + 1) == '{') {
        int j = i + 2;
        boolean closed = false;
        while (j < n) {
          char d = text.charAt(j);
          if (d == '\\' && j + 1 < n) {
            name.append(text.charAt(j + 1));
            j += 2;
          } else if (d == '}') {
            closed = true;
            j++;
            break;
          } else {
            name.append(d);
            j++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("'${' at position " + i + " of '" + text + "' is never closed with '}'");
        }
        i = j;
      } else {
        while (i < n) {
          char d = text.charAt(i);
          if (d == '\\') {
            if (i + 1 == n) {
              throw new IllegalArgumentException("'" + text + "' ends with a lone backslash");
            }
            name.append(text.charAt(i + 1));
            i += 2;
          } else if (d == '.' || d == '[') {
            break;
          } else if (d == ']') {
            throw new IllegalArgumentException("unexpected ']' at position " + i + " of '" + text + "'");
          } else {
            name.append(d);
            i++;
          }
        }
      }
      if (name.length() == 0) {
        throw new IllegalArgumentException("empty field name at position " + i + " of '" + text + "'");
      }
      out.add(Segment.field(name.toString()));
      int next = afterSegment(text, i, false);
      expectName = next != i;
      i = next;
    }
    return new Path(text, out.toArray(new Segment[0]));
  }

  /**
   * Checks what follows a segment that ends at {@code i}: the end, a {@code '['}, or a dot with a
   * name after it. Returns the position after the dot if there is one (a name comes next), else
   * {@code i}.
   *
   * @param afterIndex whether the segment was {@code [n]} or {@code [*]}, for the message
   */
  private static int afterSegment(String text, int i, boolean afterIndex) {
    int n = text.length();
    if (i < n && text.charAt(i) == '.') {
      if (i + 1 == n) {
        throw new IllegalArgumentException("'" + text + "' ends with a dot");
      }
      return i + 1;
    }
    if (i < n && text.charAt(i) != '[') {
      throw new IllegalArgumentException(
          afterIndex
              ? "expected '.' or '[' after ']' at position " + i + " of '" + text + "'"
              : "unexpected '" + text.charAt(i) + "' at position " + i + " of '" + text + "'");
    }
    return i;
  }

  /** Escapes a field name so that {@link #parse} reads it back as one segment. */
  public static String escape(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.' || c == '[' || c == ']' || c == '\\' || (c == '$' && i == 0)) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /**
   * Reads the value at {@code segments[from..]} starting at {@code current}. Returns {@link
   * #ABSENT} if a step is missing; a {@code [*]} step gives an unmodifiable list with one entry per
   * element that has the rest of the path.
   */
  public static Object read(Object current, Segment[] segments, int from) {
    for (int i = from; i < segments.length; i++) {
      Segment s = segments[i];
      if (s.name != null) {
        if (!(current instanceof DataRecord)) {
          return ABSENT;
        }
        DataRecord r = (DataRecord) current;
        Object v = r.get(s.name);
        if (v == null && !r.has(s.name)) {
          return ABSENT;
        }
        current = v;
      } else if (s.index >= 0) {
        if (!(current instanceof List) || s.index >= ((List<?>) current).size()) {
          return ABSENT;
        }
        current = ((List<?>) current).get(s.index);
      } else {
        if (!(current instanceof List)) {
          return ABSENT;
        }
        List<?> list = (List<?>) current;
        List<Object> out = new ArrayList<>(list.size());
        for (Object item : list) {
          Object v = read(item, segments, i + 1);
          if (v != ABSENT) {
            out.add(v);
          }
        }
        return Collections.unmodifiableList(out);
      }
    }
    return current;
  }

  @Override
  public String toString() {
    return text;
  }
}
