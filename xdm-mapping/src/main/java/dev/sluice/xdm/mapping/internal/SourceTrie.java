package dev.sluice.xdm.mapping.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The source paths of a {@link TextPlan} as a tree of field names below the record ({@code data}),
 * so that one pass over a record's text finds every value the rules read. Node 0 is the record.
 * Immutable once {@link #freeze()} has run; shared by every thread.
 */
final class SourceTrie {
  /** The record itself: the node of the source path {@code data}. */
  static final int ROOT = 0;

  private final List<String> names = new ArrayList<>();
  private final List<Integer> parents = new ArrayList<>();
  private final List<List<Integer>> childLists = new ArrayList<>();

  /** Per node: the value is copied to the output (so its text must be canonical). */
  boolean[] copied;
  /** Per node: the scan keeps the object's members in order (a merge reads them). */
  boolean[] needsMembers;
  /** Per node: its name as a JSON key followed by a colon, as the writer writes it. */
  char[][] keyText;
  /** Per node, an open-addressing table of child node ids plus one, by {@link #hash}. */
  private int[][] tables;
  private char[][] nameChars;
  private int[] hashes;

  SourceTrie() {
    add("", -1);
  }

  private int add(String name, int parent) {
    names.add(name);
    parents.add(parent);
    childLists.add(new ArrayList<>());
    int id = names.size() - 1;
    if (parent >= 0) {
      childLists.get(parent).add(id);
    }
    return id;
  }

  /** The node of a path of field names below the record, added if new. */
  int node(List<String> path) {
    int at = ROOT;
    for (String name : path) {
      int found = -1;
      for (int child : childLists.get(at)) {
        if (names.get(child).equals(name)) {
          found = child;
          break;
        }
      }
      at = found >= 0 ? found : add(name, at);
    }
    return at;
  }

  int size() {
    return names.size();
  }

  int parent(int node) {
    return parents.get(node);
  }

  String name(int node) {
    return names.get(node);
  }

  /** Builds the lookup tables; the shape may not change afterwards. */
  void freeze() {
    int n = names.size();
    copied = new boolean[n];
    needsMembers = new boolean[n];
    keyText = new char[n][];
    tables = new int[n][];
    nameChars = new char[n][];
    hashes = new int[n];
    for (int id = 0; id < n; id++) {
      char[] chars = names.get(id).toCharArray();
      nameChars[id] = chars;
      hashes[id] = hash(chars, 0, chars.length);
      keyText[id] = (dev.sluice.xdm.JsonValues.toJson(names.get(id)) + ":").toCharArray();
    }
    for (int id = 0; id < n; id++) {
      List<Integer> children = childLists.get(id);
      int size = Integer.highestOneBit(Math.max(1, children.size()) * 4 - 1) << 1;
      int[] table = new int[size];
      for (int child : children) {
        int slot = spread(hashes[child]) & (size - 1);
        while (table[slot] != 0) {
          slot = (slot + 1) & (size - 1);
        }
        table[slot] = child + 1;
      }
      tables[id] = table;
    }
  }

  /**
   * A cheap hash of a key from its length and three of its characters; a match is always
   * confirmed character by character.
   */
  static int hash(char[] b, int from, int to) {
    int len = to - from;
    if (len == 0) {
      return 0;
    }
    return ((len * 31 + b[from]) * 31 + b[from + (len >> 1)]) * 31 + b[to - 1];
  }

  static int spread(int h) {
    return (h * 0x9E3779B9) >>> 7;
  }

  /** The child of {@code node} named by the key {@code b[from, to)}, or -1. */
  int child(int node, char[] b, int from, int to, int hash) {
    int[] table = tables[node];
    int mask = table.length - 1;
    int slot = spread(hash) & mask;
    int len = to - from;
    while (true) {
      int entry = table[slot];
      if (entry == 0) {
        return -1;
      }
      int child = entry - 1;
      if (hashes[child] == hash) {
        char[] name = nameChars[child];
        if (name.length == len && java.util.Arrays.equals(name, 0, len, b, from, to)) {
          return child;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
}
