package dev.sluice.xdm;

import dev.sluice.xdm.internal.JsonSyntax;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fast path for JSON text behind {@link JsonValues#parse(String)} and {@link
 * JsonValues#toJson(Object)}: a validating scan, objects parsed one level at a time when first
 * read, and a writer that copies untouched objects as they were read. Moshi stays the reference:
 * whatever the scan does not accept goes to Moshi, which gives the same value or the same error.
 */
final class FastJson {
  private FastJson() {}

  /**
   * Writes a value as compact JSON text, or returns {@code null} when it holds something that is
   * not a JSON value (the caller then lets Moshi's writer name the path).
   */
  static String toJson(Object value) {
    Out b = WRITE_BUFFER.get();
    b.len = 0;
    try {
      writeFast(b, value);
    } catch (IllegalArgumentException e) {
      return null;
    }
    String json = b.toString();
    if (b.buf.length > MAX_KEPT_BUFFER) {
      WRITE_BUFFER.remove();
    }
    return json;
  }

  /** Each thread's buffer for {@link #toJson(Object)}; writeFast never calls toJson. */
  private static final ThreadLocal<Out> WRITE_BUFFER = ThreadLocal.withInitial(Out::new);

  /** A buffer that grew past this is dropped after use rather than kept. */
  private static final int MAX_KEPT_BUFFER = 1 << 16;

  /** Moshi's reader refuses deeper nesting; the scan leaves such text to Moshi. */
  private static final int MAX_DEPTH = 255;

  /**
   * Parses JSON text without Moshi when the text is plain strict JSON, or returns {@link #ABSENT}
   * when it is not (then Moshi must parse it: it gives the same value or the error).
   */
  static Object parse(String text) {
    char[] chars = text.toCharArray();
    Scan scan = new Scan(chars);
    int start = scan.skipWhitespace(0);
    int end = scan.value(start, 0);
    if (end < 0 || scan.skipWhitespace(end) != chars.length) {
      return JsonValues.ABSENT;
    }
    Doc doc = new Doc(chars, scan.canonical, scan.duplicates, scan.tape);
    if (chars[start] == '{') {
      return DataRecord.lazy(new LazyObject(doc, start, end, scan.rootBlock));
    }
    return new Level(doc, start).value();
  }

  /** One parsed text, shared by the lazy objects cut from it. */
  static final class Doc {
    /** The text's characters (a text with a lone surrogate is left to Moshi). */
    final char[] chars;
    /**
     * Whether every object in the text is written exactly as {@link #toJson(Object)} would write
     * it (no whitespace, no escapes but the writer's own, numbers as they print, no
     * duplicate keys), so that an untouched object can be copied as text.
     */
    final boolean canonical;

    /**
     * The members of every object the scan found with plain ASCII keys, one block per object (see
     * {@link Scan}); lets a lazy object find a field without parsing its siblings.
     */
    final int[] tape;

    /** Whether an object in the text may repeat a key: then objects are always fully parsed. */
    final boolean duplicates;

    Doc(char[] chars, boolean canonical, boolean duplicates, int[] tape) {
      this.duplicates = duplicates;
      this.tape = tape;
      this.chars = chars;
      this.canonical = canonical;
    }

    String string(int start, int end) {
      return new String(chars, start, end - start);
    }
  }

  /**
   * The fields of an object read from JSON text: parsed (one level; nested objects stay lazy) the
   * first time they are needed. Immutable from the outside and safe to share between threads: the
   * parsed map is published through an unmodifiable wrapper's final field.
   */
  static final class LazyObject extends AbstractMap<String, Object> {
    /** A member whose value is JSON null, in {@link #made} (where null means "not made yet"). */
    private static final Object JSON_NULL = new Object();
    /** Objects with more members than this find a key through a hash index. */
    private static final int INDEXED = 8;

    final Doc doc;
    final int start;
    final int end;
    /** The object's block in the tape, or -1: then the first use parses the whole level. */
    private final int block;
    /**
     * Member values made so far, by member index; null until made. Shared without locks: a thread
     * sees either null (and makes the value again) or a value that is immutable and safely
     * published (strings, numbers, records and lists all keep their state in final fields).
     */
    private Object[] made;
    /** The hash index of a large object's keys, built on first use (published by a final field). */
    private Index index;

    /** Open-addressing table of member indexes plus one, by key hash. */
    private static final class Index {
      final int[] slots;

      Index(int[] slots) {
        this.slots = slots;
      }
    }
    private Map<String, Object> parsed;

    LazyObject(Doc doc, int start, int end, int block) {
      this.doc = doc;
      this.start = start;
      this.end = end;
      this.block = block;
    }

    /** The member index of a key, the last one if the key repeats; -1 if absent. */
    private int member(Object key) {
      if (!(key instanceof String)) {
        return -1;
      }
      String name = (String) key;
      int[] t = doc.tape;
      int h = name.hashCode();
      int count = t[block];
      if (count > INDEXED) {
        Index idx = index;
        if (idx == null) {
          idx = buildIndex(count);
          index = idx;
        }
        int[] slots = idx.slots;
        int mask = slots.length - 1;
        for (int i = (h ^ (h >>> 16)) & mask; slots[i] != 0; i = (i + 1) & mask) {
          int m = slots[i] - 1;
          if (t[block + 1 + m * Scan.MEMBER + 2] == h && keyIs(m, name)) {
            return m;
          }
        }
        return -1;
      }
      for (int m = count - 1; m >= 0; m--) {
        if (t[block + 1 + m * Scan.MEMBER + 2] == h && keyIs(m, name)) {
          return m;
        }
      }
      return -1;
    }

    /** Whether member {@code m}'s key is {@code name}. */
    private boolean keyIs(int m, String name) {
      int at = block + 1 + m * Scan.MEMBER;
      int keyStart = doc.tape[at];
      int len = name.length();
      if (doc.tape[at + 1] - keyStart != len) {
        return false;
      }
      char[] b = doc.chars;
      for (int k = 0; k < len; k++) {
        if (name.charAt(k) != b[keyStart + k]) {
          return false;
        }
      }
      return true;
    }

    /** Indexes the members, the last of a repeated key winning, as Moshi reads them. */
    private Index buildIndex(int count) {
      int size = Integer.highestOneBit(count * 2 - 1) << 1;
      int[] slots = new int[size];
      int mask = size - 1;
      int[] t = doc.tape;
      char[] b = doc.chars;
      members:
      for (int m = count - 1; m >= 0; m--) {
        int at = block + 1 + m * Scan.MEMBER;
        int h = t[at + 2];
        int i = (h ^ (h >>> 16)) & mask;
        for (; slots[i] != 0; i = (i + 1) & mask) {
          int other = block + 1 + (slots[i] - 1) * Scan.MEMBER;
          if (t[other + 2] == h
              && t[other + 1] - t[other] == t[at + 1] - t[at]
              && Arrays.equals(b, t[other], t[other + 1], b, t[at], t[at + 1])) {
            continue members; // a later member with the same key is already there
          }
        }
        slots[i] = m + 1;
      }
      return new Index(slots);
    }

    private Object made(int m) {
      Object[] cache = made;
      if (cache == null) {
        cache = new Object[doc.tape[block]];
        made = cache;
      }
      Object v = cache[m];
      if (v == JSON_NULL) {
        return null;
      }
      if (v == null) {
        int at = block + 1 + m * Scan.MEMBER;
        int[] t = doc.tape;
        int valueStart = t[at + 3];
        if (t[at + 5] >= 0) {
          v = DataRecord.lazy(new LazyObject(doc, valueStart, t[at + 4], t[at + 5]));
        } else {
          v = new Level(doc, valueStart).value();
        }
        cache[m] = v == null ? JSON_NULL : v;
      }
      return v;
    }

    /** Whether the object's text may be copied as it is. */
    boolean copyable() {
      return doc.canonical;
    }

    private Map<String, Object> fields() {
      Map<String, Object> f = parsed;
      if (f == null) {
        LinkedHashMap<String, Object> map;
        if (block < 0) {
          map = new Level(doc, start).object();
        } else {
          int count = doc.tape[block];
          map = new LinkedHashMap<>(Math.max(4, count * 4 / 3 + 1));
          Level names = new Level(doc, 0);
          for (int m = 0; m < count; m++) {
            int keyStart = doc.tape[block + 1 + m * Scan.MEMBER];
            map.put(names.nameAt(keyStart - 1), made(m));
          }
        }
        f = Collections.unmodifiableMap(map);
        parsed = f;
      }
      return f;
    }

    @Override
    public Object get(Object key) {
      if (block < 0 || parsed != null) {
        return fields().get(key);
      }
      int m = member(key);
      return m < 0 ? null : made(m);
    }

    @Override
    public boolean containsKey(Object key) {
      if (block < 0 || parsed != null) {
        return fields().containsKey(key);
      }
      return member(key) >= 0;
    }

    /** Whether the members can be read straight from the tape: no repeated key to fold. */
    private boolean direct() {
      return block >= 0 && parsed == null && !doc.duplicates;
    }

    @Override
    public int size() {
      return direct() ? doc.tape[block] : fields().size();
    }

    @Override
    public boolean isEmpty() {
      return end - start == 2 || fields().isEmpty();
    }

    @Override
    public Set<String> keySet() {
      return fields().keySet();
    }

    @Override
    public Collection<Object> values() {
      return fields().values();
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
      if (!direct()) {
        return fields().entrySet();
      }
      // the members in order, without building a map
      return new AbstractSet<Map.Entry<String, Object>>() {
        @Override
        public int size() {
          return doc.tape[block];
        }

        @Override
        public Iterator<Map.Entry<String, Object>> iterator() {
          return new Iterator<Map.Entry<String, Object>>() {
            private final Level names = new Level(doc, 0);
            private int m;

            @Override
            public boolean hasNext() {
              return m < doc.tape[block];
            }

            @Override
            public Map.Entry<String, Object> next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              int k = m++;
              String name = names.nameAt(doc.tape[block + 1 + k * Scan.MEMBER] - 1);
              return new AbstractMap.SimpleImmutableEntry<>(name, made(k));
            }
          };
        }
      };
    }

    @Override
    public boolean equals(Object o) {
      return fields().equals(o);
    }

    @Override
    public int hashCode() {
      return fields().hashCode();
    }
  }

  /** Field names seen before, shared so that parsing a record does not copy its keys again. */
  private static final String[] NAMES = new String[4096];

  /** Reads one level of already-validated text: scalars and arrays now, objects lazily. */
  static final class Level {
    private final Doc doc;
    private final char[] b;
    private int pos;

    Level(Doc doc, int pos) {
      this.doc = doc;
      this.b = doc.chars;
      this.pos = pos;
    }

    LinkedHashMap<String, Object> object() {
      LinkedHashMap<String, Object> map = new LinkedHashMap<>();
      pos = ws(pos + 1);
      if (b[pos] == '}') {
        return map;
      }
      while (true) {
        String key = name();
        pos = ws(ws(pos) + 1); // ':'
        map.put(key, value());
        pos = ws(pos);
        if (b[pos++] == '}') {
          return map;
        }
        pos = ws(pos);
      }
    }

    Object value() {
      switch (b[pos]) {
        case '"':
          return string();
        case '{':
          {
            int begin = pos;
            pos = skipContainer(pos);
            return DataRecord.lazy(new LazyObject(doc, begin, pos, -1));
          }
        case '[':
          {
            List<Object> list = new ArrayList<>();
            pos = ws(pos + 1);
            if (b[pos] == ']') {
              pos++;
              return Collections.unmodifiableList(list);
            }
            while (true) {
              list.add(value());
              pos = ws(pos);
              if (b[pos++] == ']') {
                return Collections.unmodifiableList(list);
              }
              pos = ws(pos);
            }
          }
        case 't':
          pos += 4;
          return Boolean.TRUE;
        case 'f':
          pos += 5;
          return Boolean.FALSE;
        case 'n':
          pos += 4;
          return null;
        default:
          return number();
      }
    }

    private Number number() {
      int begin = pos;
      int i = pos;
      int n = b.length;
      boolean negative = b[i] == '-';
      if (negative) {
        i++;
      }
      long value = 0;
      int digits = 0;
      char c = 0;
      while (i < n && (c = b[i]) >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        digits++;
        i++;
      }
      boolean integral = i == n || (c != '.' && c != 'e' && c != 'E');
      if (integral && digits < 19) {
        pos = i;
        return negative ? -value : value;
      }
      while (i < n && isNumberByte(b[i])) {
        i++;
      }
      pos = i;
      return JsonValues.parseNumber(new String(b, begin, i - begin), "$");
    }

    /** The name whose opening quote is at {@code quote}. */
    String nameAt(int quote) {
      pos = quote;
      return name();
    }

    private String name() {
      int begin = pos + 1;
      int i = begin;
      int h = 0;
      char c;
      while ((c = b[i]) != '"') {
        if (c == '\\') {
          return string();
        }
        h = 31 * h + c;
        i++;
      }
      pos = i + 1;
      int len = i - begin;
      int slot = (h ^ (h >>> 12)) & (NAMES.length - 1);
      String cached = NAMES[slot];
      if (cached != null && cached.length() == len && sameAscii(cached, begin)) {
        return cached;
      }
      String name = new String(b, begin, len);
      NAMES[slot] = name;
      return name;
    }

    private boolean sameAscii(String name, int at) {
      for (int k = 0; k < name.length(); k++) {
        if (name.charAt(k) != b[at + k]) {
          return false;
        }
      }
      return true;
    }

    private String string() {
      int begin = pos + 1;
      int i = begin;
      char c;
      while ((c = b[i]) != '"') {
        if (c == '\\') {
          return escapedString(begin);
        }
        i++;
      }
      pos = i + 1;
      return doc.string(begin, i);
    }

    private String escapedString(int begin) {
      // Decode the UTF-8 between the escapes, then the escapes one by one.
      StringBuilder out = new StringBuilder();
      int i = begin;
      int run = begin;
      while (true) {
        char c = b[i];
        if (c == '"') {
          break;
        }
        if (c != '\\') {
          i++;
          continue;
        }
        out.append(new String(b, run, i - run));
        char e = b[i + 1];
        i += 2;
        switch (e) {
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case 't': out.append('\t'); break;
          case 'u':
            out.append((char) Integer.parseInt(new String(b, i, 4), 16));
            i += 4;
            break;
          default: out.append((char) e); // '"', '\\', '/'
        }
        run = i;
      }
      out.append(new String(b, run, i - run));
      pos = i + 1;
      return out.toString();
    }

    private int ws(int i) {
      char c;
      while ((c = b[i]) == ' ' || c == '\n' || c == '\r' || c == '\t') {
        i++;
      }
      return i;
    }

    /** The index after the object or array starting at {@code i}. */
    private int skipContainer(int i) {
      int depth = 0;
      while (true) {
        char c = b[i++];
        if (c == '"') {
          while ((c = b[i++]) != '"') {
            if (c == '\\') {
              i++;
            }
          }
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return i;
          }
        }
      }
    }
  }

  private static boolean isNumberByte(char c) {
    return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  /**
   * Checks that text is strict JSON that Moshi reads the same way, and whether it is
   * canonical (see {@link Doc#canonical}). Each method returns the index after what it checked,
   * or -1.
   */
  static final class Scan {
    /** ASCII characters that need no attention inside a string. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
      for (char c = 0x20; c < 128; c++) {
        PLAIN[c] = c != '"' && c != '\\';
      }
    }

    private final char[] b;
    private final int n;
    boolean canonical = true;
    /** Hashes of the keys of the objects being scanned, as a stack. */
    private int[] keys = new int[64];
    private int top;
    /** Bloom bits of the keys of the object being scanned, to skip most duplicate checks. */
    private long seen;

    /** Ints per member in a tape block: key start, key end, key hash, value start, value end, block. */
    static final int MEMBER = 6;
    /**
     * One block per object with plain ASCII keys, written when the object closes (so a parent's
     * block comes after its children's): the member count, then {@link #MEMBER} ints a member.
     */
    int[] tape;
    private int tapeSize;
    /** Members of the objects still open, as a stack. */
    private int[] open = new int[192];
    private int openSize;
    /** The block of the last object closed: the root's at the end. */
    int rootBlock = -1;
    /** Whether the member just scanned was a plain ASCII key, and its hash. */
    private boolean plainKey;
    private int keyHash;

    Scan(char[] b) {
      this.b = b;
      this.n = b.length;
      // a Stripe object has about one member per 20 characters: no regrowing for typical records
      this.tape = new int[Math.max(64, b.length / 3)];
    }

    int skipWhitespace(int i) {
      char c;
      while (i < n && ((c = b[i]) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
        i++;
        canonical = false;
      }
      return i;
    }

    int value(int i, int depth) {
      if (i >= n) {
        return -1;
      }
      switch (b[i]) {
        case '{':
          return depth >= MAX_DEPTH ? -1 : object(i, depth + 1);
        case '[':
          return depth >= MAX_DEPTH ? -1 : array(i, depth + 1);
        case '"':
          return string(i);
        case 't':
          return i + 3 < n && b[i + 1] == 'r' && b[i + 2] == 'u' && b[i + 3] == 'e' ? i + 4 : -1;
        case 'f':
          return i + 4 < n && b[i + 1] == 'a' && b[i + 2] == 'l' && b[i + 3] == 's' && b[i + 4] == 'e'
              ? i + 5 : -1;
        case 'n':
          return i + 3 < n && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l' ? i + 4 : -1;
        default:
          return number(i);
      }
    }

    private int object(int i, int depth) {
      int base = top;
      long outerSeen = seen;
      seen = 0;
      int openBase = openSize;
      boolean plain = true;
      i = skipWhitespace(i + 1);
      if (i < n && b[i] == '}') {
        seen = outerSeen;
        closeBlock(openBase, true);
        return i + 1;
      }
      while (true) {
        if (i >= n || b[i] != '"') {
          return -1;
        }
        int keyStart = i;
        i = key(i);
        if (i < 0) {
          return -1;
        }
        plain &= plainKey;
        int hash = keyHash;
        int keyEnd = lastKeyEnd;
        checkDuplicate(base, hash);
        i = skipWhitespace(i);
        if (i >= n || b[i] != ':') {
          return -1;
        }
        int valueStart = skipWhitespace(i + 1);
        rootBlock = -1;
        i = value(valueStart, depth);
        if (i < 0) {
          return -1;
        }
        int child = b[valueStart] == '{' ? rootBlock : -1;
        if (openSize + MEMBER > open.length) {
          open = Arrays.copyOf(open, open.length * 2);
        }
        open[openSize++] = keyStart + 1;
        open[openSize++] = keyEnd;
        open[openSize++] = hash;
        open[openSize++] = valueStart;
        open[openSize++] = i;
        open[openSize++] = child;
        i = skipWhitespace(i);
        if (i >= n) {
          return -1;
        }
        char c = b[i];
        if (c == '}') {
          top = base;
          seen = outerSeen;
          closeBlock(openBase, plain);
          return i + 1;
        }
        if (c != ',') {
          return -1;
        }
        i = skipWhitespace(i + 1);
      }
    }

    /** Where the key just scanned ends (its closing quote). */
    private int lastKeyEnd;

    /** Scans a key: a string, noting its end, whether it is plain ASCII, and its hash. */
    private int key(int i) {
      int h = 0;
      int k = i + 1;
      char c;
      while (k < n && (c = b[k]) != '"' && c != '\\' && c >= 0x20 && c < Character.MIN_SURROGATE) {
        h = 31 * h + c;
        k++;
      }
      if (k < n && b[k] == '"') {
        plainKey = true;
        keyHash = h;
        lastKeyEnd = k;
        return k + 1;
      }
      plainKey = false;
      keyHash = h;
      int end = string(i);
      lastKeyEnd = end - 1;
      return end;
    }

    /** Writes the block of the object whose members start at {@code openBase}, if its keys are plain. */
    private void closeBlock(int openBase, boolean plain) {
      int count = (openSize - openBase) / MEMBER;
      if (!plain) {
        openSize = openBase;
        rootBlock = -1;
        return;
      }
      int need = tapeSize + 1 + count * MEMBER;
      if (need > tape.length) {
        tape = Arrays.copyOf(tape, Math.max(need, tape.length * 2));
      }
      int at = tapeSize;
      tape[at] = count;
      System.arraycopy(open, openBase, tape, at + 1, count * MEMBER);
      tapeSize = need;
      openSize = openBase;
      rootBlock = at;
    }

    /** Whether some object may repeat a key (a hash collision also counts). */
    boolean duplicates;

    /** Notes when the key just scanned may repeat one of its object's keys. */
    private void checkDuplicate(int base, int h) {
      long bit = 1L << (h & 63);
      if ((seen & bit) == 0) {
        seen |= bit;
        push(h);
        return;
      }
      for (int k = base; k < top; k++) {
        if (keys[k] == h) {
          // a repeat, or a hash collision: either way, leave writing to the parsed fields
          canonical = false;
          duplicates = true;
          return;
        }
      }
      push(h);
    }

    private void push(int h) {
      if (top == keys.length) {
        keys = Arrays.copyOf(keys, top * 2);
      }
      keys[top++] = h;
    }

    private int array(int i, int depth) {
      i = skipWhitespace(i + 1);
      if (i < n && b[i] == ']') {
        return i + 1;
      }
      while (true) {
        i = value(i, depth);
        if (i < 0) {
          return -1;
        }
        i = skipWhitespace(i);
        if (i >= n) {
          return -1;
        }
        char c = b[i];
        if (c == ']') {
          return i + 1;
        }
        if (c != ',') {
          return -1;
        }
        i = skipWhitespace(i + 1);
      }
    }

    private int string(int i) {
      i++;
      while (i < n) {
        char c = b[i++];
        if (c < 128 ? PLAIN[c] : c < 0x2028 || (c > 0x2029 && c < Character.MIN_SURROGATE) || c > Character.MAX_SURROGATE) {
          continue; // the common case: nothing to check
        }
        if (c == '"') {
          return i;
        }
        if (c == '\\') {
          int after = JsonSyntax.escapeEnd(b, i, n);
          if (after < 0) {
            return -1;
          }
          char e = b[i];
          if (e != '"' && e != '\\') {
            canonical = false; // the writer writes only these two as escapes
          }
          i = after;
        } else if (c < 0x20) {
          return -1; // a raw control character: Moshi decides
        } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
          // a pair is kept as it is; a lone surrogate becomes '?' on Moshi's UTF-8 round trip
          if (!Character.isHighSurrogate(c) || i >= n || !Character.isLowSurrogate(b[i])) {
            return -1;
          }
          i++;
        } else if (c == '\u2028' || c == '\u2029') {
          canonical = false; // the writer escapes them
        }
      }
      return -1;
    }

    private int number(int i) {
      long scanned = JsonSyntax.number(b, i, n);
      if (scanned < 0) {
        return -1;
      }
      if (canonical) {
        canonical = JsonSyntax.printsAsWritten(b, i, scanned);
      }
      return (int) scanned;
    }
  }
  /**
   * Writes a value as compact JSON text, exactly as Moshi's writer with {@code serializeNulls}
   * does, copying objects that were read from canonical text and never changed.
   */
  static void writeFast(Out b, Object value) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof String) {
      writeString(b, (String) value);
    } else if (value instanceof Long) {
      b.append(Long.toString((Long) value));
    } else if (value instanceof Boolean) {
      b.append((Boolean) value ? "true" : "false");
    } else if (value instanceof DataRecord) {
      Map<String, Object> fields = ((DataRecord) value).fieldsForWriter();
      if (fields instanceof LazyObject && ((LazyObject) fields).copyable()) {
        LazyObject lazy = (LazyObject) fields;
        b.append(lazy.doc.chars, lazy.start, lazy.end - lazy.start);
        return;
      }
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        writeString(b, e.getKey());
        b.append(':');
        writeFast(b, e.getValue());
      }
      b.append('}');
    } else if (value instanceof List) {
      b.append('[');
      boolean first = true;
      for (Object item : (List<?>) value) {
        if (!first) {
          b.append(',');
        }
        first = false;
        writeFast(b, item);
      }
      b.append(']');
    } else if (value instanceof BigInteger || value instanceof BigDecimal) {
      b.append(value.toString());
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
    }
  }

  private static void writeString(Out o, String s) {
    int n = s.length();
    o.ensure(n + 2);
    char[] buf = o.buf;
    int start = o.len + 1;
    buf[start - 1] = '"';
    s.getChars(0, n, buf, start);
    int end = start + n;
    for (int i = start; i < end; i++) {
      char c = buf[i];
      if (c < 0x20 || c == '"' || c == '\\' || (c >= 0x2028 && (c <= 0x2029 || Character.isSurrogate(c)))) {
        o.len = start - 1;
        writeEscaped(o, s);
        return;
      }
    }
    buf[end] = '"';
    o.len = end + 1;
  }

  /** Writes a string that needs escapes, as Moshi's writer escapes it. */
  private static void writeEscaped(Out b, String s) {
    b.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c < 0x2028) {
        continue; // also below the surrogates
      }
      String replacement;
      if (c < 0x20) {
        switch (c) {
          case '\b': replacement = "\\b"; break;
          case '\f': replacement = "\\f"; break;
          case '\n': replacement = "\\n"; break;
          case '\r': replacement = "\\r"; break;
          case '\t': replacement = "\\t"; break;
          default: replacement = String.format("\\u%04x", (int) c);
        }
      } else if (c == '"') {
        replacement = "\\\"";
      } else if (c == '\\') {
        replacement = "\\\\";
      } else if (c == '\u2028') {
        replacement = "\\u2028";
      } else if (c == '\u2029') {
        replacement = "\\u2029";
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a pair: written as it is
        continue;
      } else if (Character.isSurrogate(c)) {
        replacement = "?"; // as Moshi's UTF-8 output writes a lone surrogate
      } else {
        continue;
      }
      b.append(s, run, i);
      b.append(replacement);
      run = i + 1;
    }
    b.append(s, run, n);
    b.append('"');
  }

  /** A growable character buffer for the writer, reused by each thread. */
  static final class Out {
    char[] buf = new char[4096];
    int len;

    void ensure(int extra) {
      if (len + extra > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
      }
    }

    void append(char c) {
      ensure(1);
      buf[len++] = c;
    }

    void append(String s) {
      int n = s.length();
      ensure(n);
      s.getChars(0, n, buf, len);
      len += n;
    }

    void append(String s, int from, int to) {
      ensure(to - from);
      s.getChars(from, to, buf, len);
      len += to - from;
    }

    void append(char[] chars, int from, int count) {
      ensure(count);
      System.arraycopy(chars, from, buf, len, count);
      len += count;
    }

    @Override
    public String toString() {
      return new String(buf, 0, len);
    }
  }
}
