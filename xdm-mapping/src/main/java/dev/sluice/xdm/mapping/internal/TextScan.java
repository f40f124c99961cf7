package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.internal.JsonSyntax;
import java.util.Arrays;

/**
 * One pass over a record's JSON text for a {@link TextPlan}: checks that the text is strict JSON,
 * notes where the value of each {@link SourceTrie} node lies and, for the nodes a merge reads,
 * the object's members in order.
 *
 * <p>The scan gives up (returns {@code false}) on anything the plan could not copy exactly as the
 * general engine would write it, and the caller then runs the general engine, which gives the
 * same output or the parse error. Giving up is always safe; it happens on: text that is not
 * JSON, a top level that is not an object, whitespace between tokens, a key with an escape, a
 * repeated key in an object the rules read, nesting deeper than 255, a lone surrogate or a raw
 * control character in a string, and, inside values that are copied, any escape but {@code \"}
 * and {@code \\}, a raw U+2028 or U+2029, {@code -0}, or a number that does not print as written.
 *
 * <p>Not thread-safe: each thread uses its own.
 */
final class TextScan {
  private static final int FAIL = -1;
  /** As deep as the general engine's reader goes. */
  private static final int MAX_DEPTH = 255;

  /** ASCII characters that need no attention inside a string. */
  private static final boolean[] PLAIN = new boolean[128];

  static {
    for (char c = 0x20; c < 128; c++) {
      PLAIN[c] = c != '"' && c != '\\';
    }
  }

  /**
   * For each UTF-16 unit, whether a string scan must look at it: 0 for most, 1 for the quote,
   * the backslash, control characters, U+2028, U+2029 and surrogates.
   */
  private static final byte[] KIND = new byte[65536];

  /** The text is followed by this many quotes, so that a string scan needs no bounds test. */
  private static final int PAD = 4;

  static {
    for (int c = 0; c < 0x20; c++) {
      KIND[c] = 1;
    }
    KIND['"'] = 1;
    KIND['\\'] = 1;
    KIND[0x2028] = 1;
    KIND[0x2029] = 1;
    for (int c = Character.MIN_SURROGATE; c <= Character.MAX_SURROGATE; c++) {
      KIND[c] = 1;
    }
  }

  /** Ints per kept member: key start (its opening quote), value start, value end, trie node. */
  static final int MEMBER = 4;

  private final SourceTrie trie;
  /** The text's characters (reused between records). */
  char[] b = new char[4096];
  int n;
  /** Per trie node: where its value starts, or -1 when the record has none; and where it ends. */
  final int[] start;
  final int[] end;
  /** Per trie node that needs members: its block in {@link #members} (count, then members), or -1. */
  final int[] block;
  int[] members = new int[64];
  private int membersSize;
  /** Members of the objects still open whose members are kept, as a stack. */
  private int[] open = new int[64];
  private int openSize;

  TextScan(SourceTrie trie) {
    this.trie = trie;
    this.start = new int[trie.size()];
    this.end = new int[trie.size()];
    this.block = new int[trie.size()];
  }

  /** Scans one record's text; {@code false} means the general engine must handle it. */
  boolean scan(String text) {
    n = text.length();
    if (b.length < n + PAD) {
      b = new char[Math.max(n + PAD, b.length * 2)];
    }
    text.getChars(0, n, b, 0);
    for (int k = n; k < n + PAD; k++) {
      b[k] = '"';
    }
    Arrays.fill(start, -1);
    Arrays.fill(block, -1);
    membersSize = 0;
    openSize = 0;
    if (learned > MAX_LEARNED) {
      rootShape = new Shape(); // records keep bringing new keys: forget, and learn again
      learned = 0;
    }
    int i = skipSpace(0);
    int first = i;
    if (i >= n || b[i] != '{') {
      return false;
    }
    i = object(i, SourceTrie.ROOT, 1, trie.copied[SourceTrie.ROOT], rootShape);
    if (i < 0) {
      return false;
    }
    start[SourceTrie.ROOT] = first;
    end[SourceTrie.ROOT] = i;
    return skipSpace(i) == n;
  }

  /** Whitespace is accepted around the record only. */
  private int skipSpace(int i) {
    char c;
    while (i < n && ((c = b[i]) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
      i++;
    }
    return i;
  }

  private int value(int i, int node, int depth, boolean copied, Shape shape) {
    if (i >= n) {
      return FAIL;
    }
    switch (b[i]) {
      case '{':
        return depth >= MAX_DEPTH ? FAIL : object(i, node, depth + 1, copied, shape);
      case '[':
        return depth >= MAX_DEPTH ? FAIL : array(i, depth + 1, copied, shape);
      case '"':
        return string(i, copied);
      case 't':
        return i + 3 < n && b[i + 1] == 'r' && b[i + 2] == 'u' && b[i + 3] == 'e' ? i + 4 : FAIL;
      case 'f':
        return i + 4 < n && b[i + 1] == 'a' && b[i + 2] == 'l' && b[i + 3] == 's' && b[i + 4] == 'e'
            ? i + 5
            : FAIL;
      case 'n':
        return i + 3 < n && b[i + 1] == 'u' && b[i + 2] == 'l' && b[i + 3] == 'l' ? i + 4 : FAIL;
      default:
        return number(i, copied);
    }
  }

  /**
   * What the scan learned about the objects found at one place in the records (the same field
   * path, array elements sharing one): their keys in order, as written ({@code "name":}), with
   * each key's trie node and the place of its value. Stripe objects of one kind repeat their keys
   * in the same order, so the next record's keys are checked by comparing text, with no key
   * scanning, hashing or lookup. The keys {@code [0, count)} never repeat one another.
   */
  private static final class Shape {
    char[][] keys = new char[8][];
    int[] hashes = new int[8];
    int[] nodes = new int[8];
    Shape[] places = new Shape[8];
    int count;
    /** The place of the elements, when the values found here are arrays. */
    Shape elements;

    /** Whether the key {@code b[from, to)} (quotes and colon included) is one of the first {@code at}. */
    boolean repeats(int at, char[] b, int from, int to, int hash) {
      for (int k = 0; k < at; k++) {
        if (hashes[k] == hash && Arrays.equals(keys[k], 0, keys[k].length, b, from, to)) {
          return true;
        }
      }
      return false;
    }

    /** Makes the key at {@code at} the one given, and forgets the keys after it. */
    void learn(int at, char[] b, int from, int to, int hash, int node) {
      if (at == keys.length) {
        int size = at * 2;
        keys = Arrays.copyOf(keys, size);
        hashes = Arrays.copyOf(hashes, size);
        nodes = Arrays.copyOf(nodes, size);
        places = Arrays.copyOf(places, size);
      }
      keys[at] = Arrays.copyOfRange(b, from, to);
      hashes[at] = hash;
      nodes[at] = node;
      places[at] = new Shape();
      count = at + 1;
    }
  }

  /**
   * Past about this many learned key characters, a thread forgets its shapes before the next
   * record, so that records with ever new keys (metadata) cannot grow them without end.
   */
  private static final int MAX_LEARNED = 1 << 18;
  private int learned;
  private Shape rootShape = new Shape();

  /**
   * An object; {@code node} is its trie node or -1, {@code shape} what earlier records had here
   * Keys are checked for repeats where the object is read or copied; members are kept
   * when the node needs them.
   */
  private int object(int i, int node, int depth, boolean copied, Shape shape) {
    boolean checkKeys = copied || node >= 0;
    boolean keep = node >= 0 && trie.needsMembers[node];
    int openBase = openSize;
    char[] b = this.b;
    i++;
    if (i < n && b[i] == '}') {
      if (keep) {
        closeBlock(node, openBase);
      }
      return i + 1;
    }
    for (int at = 0; ; at++) {
      int keyStart = i;
      int valueStart = -1;
      if (at < shape.count) {
        // the key an earlier record had here is already checked, and not repeated so far
        char[] known = shape.keys[at];
        int len = known.length;
        if (i + len <= n && Arrays.equals(b, i, i + len, known, 0, len)) {
          valueStart = i + len;
        }
      }
      if (valueStart < 0) {
        valueStart = learnKey(i, at, node, checkKeys, shape);
        if (valueStart < 0) {
          return FAIL;
        }
      }
      int child = shape.nodes[at];
      Shape place = shape.places[at];
      i = value(valueStart, child, depth, copied || child >= 0 && trie.copied[child], place);
      if (i < 0) {
        return FAIL;
      }
      if (child >= 0) {
        start[child] = valueStart;
        end[child] = i;
      }
      if (keep) {
        if (openSize + MEMBER > open.length) {
          open = Arrays.copyOf(open, open.length * 2);
        }
        open[openSize++] = keyStart;
        open[openSize++] = valueStart;
        open[openSize++] = i;
        open[openSize++] = child;
      }
      if (i >= n) {
        return FAIL;
      }
      char c = b[i];
      if (c == ',') {
        i++;
      } else if (c == '}') {
        if (keep) {
          closeBlock(node, openBase);
        }
        return i + 1;
      } else {
        return FAIL;
      }
    }
  }

  /**
   * Scans a key the shape does not have at {@code at}, checks it, and makes it the shape's key
   * there; returns where the value starts, or {@link #FAIL}.
   */
  private int learnKey(int i, int at, int node, boolean checkKeys, Shape shape) {
    char[] b = this.b;
    if (i >= n || b[i] != '"') {
      return FAIL;
    }
    int k = i + 1;
    char c;
    // a key must be plain: no escape, no control character, no U+2028 or U+2029
    while (k < n && (c = b[k]) != '"') {
      if (c < 128 ? !PLAIN[c] : c >= 0x2028 && (c <= 0x2029 || Character.isSurrogate(c))) {
        if (!Character.isHighSurrogate(c) || k + 1 >= n || !Character.isLowSurrogate(b[k + 1])) {
          return FAIL;
        }
        k++; // a surrogate pair is written as it is
      }
      k++;
    }
    if (k + 1 >= n || b[k + 1] != ':') {
      return FAIL;
    }
    int hash = SourceTrie.hash(b, i + 1, k);
    int valueStart = k + 2;
    // the keys before this one are the shape's first keys (matched or just learned)
    if (checkKeys && shape.repeats(at, b, i, valueStart, hash)) {
      return FAIL;
    }
    int child = node >= 0 ? trie.child(node, b, i + 1, k, hash) : -1;
    // from here on this object differs from what was learned: learn it instead
    shape.learn(at, b, i, valueStart, hash, child);
    learned += valueStart - i + 16;
    return valueStart;
  }

  /** Moves an object's kept members from the open stack to their block. */
  private void closeBlock(int node, int openBase) {
    int count = (openSize - openBase) / MEMBER;
    int need = membersSize + 1 + count * MEMBER;
    if (need > members.length) {
      members = Arrays.copyOf(members, Math.max(need, members.length * 2));
    }
    members[membersSize] = count;
    System.arraycopy(open, openBase, members, membersSize + 1, count * MEMBER);
    block[node] = membersSize;
    membersSize = need;
    openSize = openBase;
  }

  private int array(int i, int depth, boolean copied, Shape shape) {
    Shape elements = shape.elements;
    if (elements == null) {
      elements = new Shape();
      shape.elements = elements;
      learned += 16;
    }
    i++;
    if (i < n && b[i] == ']') {
      return i + 1;
    }
    while (true) {
      i = value(i, -1, depth, copied, elements);
      if (i < 0 || i >= n) {
        return FAIL;
      }
      char c = b[i];
      if (c == ']') {
        return i + 1;
      }
      if (c != ',') {
        return FAIL;
      }
      i++;
    }
  }

  private int string(int i, boolean copied) {
    char[] b = this.b;
    byte[] kind = KIND;
    i++;
    while (true) {
      // four characters a step while none needs a look; the quotes after the text stop it
      while ((kind[b[i]] | kind[b[i + 1]] | kind[b[i + 2]] | kind[b[i + 3]]) == 0) {
        i += 4;
      }
      char c = b[i];
      if (kind[c] == 0) {
        i++;
        continue;
      }
      if (i >= n) {
        return FAIL; // the padding: the string never ends
      }
      i++;
      if (c == '"') {
        return i;
      }
      if (c == '\\') {
        int after = JsonSyntax.escapeEnd(b, i, n);
        if (after < 0) {
          return FAIL;
        }
        char e = b[i];
        if (copied && e != '"' && e != '\\') {
          return FAIL; // the writer would write it another way
        }
        i = after;
      } else if (c < 0x20) {
        return FAIL;
      } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        if (!Character.isHighSurrogate(c) || i >= n || !Character.isLowSurrogate(b[i])) {
          return FAIL;
        }
        i++;
      } else if (copied) {
        return FAIL; // U+2028 or U+2029: the writer escapes them
      }
    }
  }

  private int number(int i, boolean copied) {
    long scanned = JsonSyntax.number(b, i, n);
    if (scanned < 0) {
      return FAIL;
    }
    if (copied || (scanned & JsonSyntax.DECIMAL) != 0) {
      try {
        if (!JsonSyntax.printsAsWritten(b, i, scanned) && copied) {
          return FAIL;
        }
      } catch (JsonFormatException e) {
        // a decimal BigDecimal cannot hold (1e9999999999): whether that fails the whole text or
        // only a field depends on how the record path reads it, so let it decide
        return FAIL;
      }
    }
    return (int) scanned;
  }
}
