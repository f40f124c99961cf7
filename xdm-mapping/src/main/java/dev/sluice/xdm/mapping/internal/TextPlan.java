package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.MappingRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a record's JSON text straight to the output's JSON text, for mapping sets made of
 * attribute copies and constants with plain field-name paths and no target schema (every mapping
 * set in Adobe's tutorial form is one). It gives exactly the text the general engine ({@link
 * CompiledMapping#apply} then {@code toJson}) gives, without building either record: one pass over
 * the input finds each value the rules read ({@link TextScan}), and the output is written by
 * copying those values' text.
 *
 * <p>What the general engine does that this plan reproduces:
 *
 * <ul>
 *   <li>An object's keys come in the order rules first wrote into them, so a key's place is the
 *       index of the first rule below it whose source value is present.
 *   <li>When a rule copies a whole object and other rules write below the same destination, the
 *       two are merged. The plan takes only the case where every deeper rule reads the same
 *       relative path below the copied object's source (so the values agree); then the output is
 *       the source object with the keys written by deeper rules that ran <em>before</em> the copy
 *       moved to the front, in the order those rules first wrote them. Deeper rules after the copy
 *       only overwrite values in place.
 * </ul>
 *
 * <p>{@link #of} returns {@code null} for a mapping set it does not cover, and {@link #map}
 * returns {@code null} for a record whose text it cannot copy exactly (see {@link TextScan}); the
 * caller then uses the general engine. Immutable and safe to share between threads: each thread
 * keeps its own buffers.
 */
final class TextPlan {
  private static final int NONE = Integer.MAX_VALUE;
  /** A thread drops buffers that grew past this after use rather than keeping them. */
  private static final int MAX_KEPT_BUFFER = 1 << 20;

  /** A node of the output: an object the rules write into, one rule's value, or a merge. */
  private static final class Dest {
    final int id;
    final char[] keyText;
    /** The rule writing exactly here, or -1. */
    int rule = -1;
    final Map<String, Dest> children = new LinkedHashMap<>();
    Dest[] kids;
    /** For a merge: the rules below it that run before the copy, in order. */
    int[] before;
    /** Whether a rule copies a value here and other rules write below it. */
    boolean merge;

    Dest(int id, String name) {
      this.id = id;
      this.keyText = name == null ? null : (JsonValues.toJson(name) + ":").toCharArray();
    }

    boolean isMerge() {
      return merge;
    }
  }

  private final SourceTrie trie;
  private final Dest root;
  private final int destCount;
  /** Per rule: the trie node it reads, or -1 for a constant. */
  private final int[] ruleSource;
  /** Per rule: the constant's JSON text, or null. */
  private final char[][] constants;
  /** Per rule that runs before a merge's copy: the trie nodes from its source up to the copy's. */
  private final int[][] hoistPath;
  /** Per trie node: the children a merge may move to the front, or null (all merges together). */
  private final int[][] hoistKids;
  /** Every trie node some merge may move to the front. */
  private final int[] hoistNodes;
  private final ThreadLocal<Worker> workers;

  private TextPlan(SourceTrie trie, Dest root, int destCount, int[] ruleSource, char[][] constants,
      int[][] hoistPath, int[][] hoistKids) {
    this.trie = trie;
    this.root = root;
    this.destCount = destCount;
    this.ruleSource = ruleSource;
    this.constants = constants;
    this.hoistPath = hoistPath;
    this.hoistKids = hoistKids;
    this.hoistNodes =
        Arrays.stream(hoistPath).filter(p -> p != null).flatMapToInt(Arrays::stream).distinct().toArray();
    this.workers = ThreadLocal.withInitial(Worker::new);
  }

  /** The plan for these rules, or {@code null} when the general engine must run them. */
  static TextPlan of(List<CompiledRule> rules) {
    int count = rules.size();
    SourceTrie trie = new SourceTrie();
    List<List<String>> sources = new ArrayList<>();
    int[] ruleSource = new int[count];
    char[][] constants = new char[count][];
    for (int r = 0; r < count; r++) {
      CompiledRule rule = rules.get(r);
      if (!allNames(rule.destination)) {
        return null;
      }
      MappingRule.SourceType type = rule.rule.sourceType();
      if (type == MappingRule.SourceType.STATIC) {
        constants[r] = JsonValues.toJson(rule.rule.source()).toCharArray();
        ruleSource[r] = -1;
        sources.add(null);
      } else if (type == MappingRule.SourceType.ATTRIBUTE) {
        Path path = Compiler.parseSourcePath(rule.rule.source());
        if (!allNames(path)) {
          return null;
        }
        List<String> names = names(path, 1);
        sources.add(names);
        ruleSource[r] = trie.node(names);
      } else {
        return null;
      }
    }
    // the output tree
    List<Dest> all = new ArrayList<>();
    Dest root = new Dest(0, null);
    all.add(root);
    for (int r = 0; r < count; r++) {
      Dest at = root;
      for (Path.Segment s : rules.get(r).destination.segments()) {
        Dest next = at.children.get(s.name);
        if (next == null) {
          next = new Dest(all.size(), s.name);
          all.add(next);
          at.children.put(s.name, next);
        }
        at = next;
      }
      if (at.rule >= 0) {
        return null; // two rules write one place: the compiler refuses that, but never guess
      }
      at.rule = r;
    }
    int[][] hoistPath = new int[count][];
    List<List<Integer>> kids = new ArrayList<>();
    for (int t = 0; t < trie.size(); t++) {
      kids.add(new ArrayList<>());
    }
    List<Boolean> needsMembers = new ArrayList<>();
    for (int t = 0; t < trie.size(); t++) {
      needsMembers.add(false);
    }
    // parents come before their children in 'all'; a merge inside another merge is written by
    // the outer one, which plans the rules below both
    java.util.Set<Dest> insideMerge = new java.util.HashSet<>();
    for (Dest d : all) {
      d.kids = d.children.values().toArray(new Dest[0]);
      d.merge = d.rule >= 0 && d.kids.length > 0;
      if (!d.isMerge() || insideMerge.contains(d)) {
        continue;
      }
      if (!planMerge(d, rules, sources, ruleSource, trie, hoistPath, kids, needsMembers)) {
        return null;
      }
      List<Dest> below = new ArrayList<>();
      collectBelow(d, below);
      insideMerge.addAll(below);
    }
    trie.freeze();
    for (int r = 0; r < count; r++) {
      if (ruleSource[r] >= 0) {
        trie.copied[ruleSource[r]] = true;
      }
    }
    int[][] hoistKids = new int[trie.size()][];
    for (int t = 0; t < trie.size(); t++) {
      trie.needsMembers[t] = needsMembers.get(t);
      if (!kids.get(t).isEmpty()) {
        hoistKids[t] = kids.get(t).stream().mapToInt(Integer::intValue).toArray();
      }
    }
    return new TextPlan(trie, root, all.size(), ruleSource, constants, hoistPath, hoistKids);
  }

  /**
   * Checks a merge (a rule copying a value to {@code d} and rules writing below it) and notes what
   * moves to the front; false when the plan cannot reproduce it.
   */
  private static boolean planMerge(Dest d, List<CompiledRule> rules, List<List<String>> sources,
      int[] ruleSource, SourceTrie trie, int[][] hoistPath, List<List<Integer>> kids,
      List<Boolean> needsMembers) {
    int copy = d.rule;
    List<String> base = sources.get(copy);
    if (base == null) {
      return false; // a constant with rules below it
    }
    int depth = rules.get(copy).destination.length();
    List<Dest> below = new ArrayList<>();
    collectBelow(d, below);
    List<Integer> before = new ArrayList<>();
    for (Dest x : below) {
      if (x.rule < 0) {
        continue;
      }
      List<String> src = sources.get(x.rule);
      Path.Segment[] dest = rules.get(x.rule).destination.segments();
      List<String> relative = new ArrayList<>();
      for (int k = depth; k < dest.length; k++) {
        relative.add(dest[k].name);
      }
      // the deeper rule must read the same place below the copied source
      if (src == null || src.size() != base.size() + relative.size()
          || !src.subList(0, base.size()).equals(base)
          || !src.subList(base.size(), src.size()).equals(relative)) {
        return false;
      }
      if (x.rule < copy) {
        if (!x.children.isEmpty() && hasRuleBelow(x, copy)) {
          return false; // rules before the copy nest in each other: order depends on which ran first
        }
        before.add(x.rule);
      }
    }
    before.sort(null);
    d.before = before.stream().mapToInt(Integer::intValue).toArray();
    int top = ruleSource[copy];
    if (!before.isEmpty()) {
      needsMembers.set(top, true);
    }
    for (int r : d.before) {
      List<Integer> path = new ArrayList<>();
      for (int t = ruleSource[r]; t != top; t = trie.parent(t)) {
        path.add(t);
        int parent = trie.parent(t);
        needsMembers.set(parent, true);
        if (!kids.get(parent).contains(t)) {
          kids.get(parent).add(t);
        }
      }
      hoistPath[r] = path.stream().mapToInt(Integer::intValue).toArray();
    }
    return true;
  }

  private static void collectBelow(Dest d, List<Dest> out) {
    for (Dest child : d.children.values()) {
      out.add(child);
      collectBelow(child, out);
    }
  }

  private static boolean hasRuleBelow(Dest d, int before) {
    for (Dest child : d.children.values()) {
      if (child.rule >= 0 && child.rule < before || hasRuleBelow(child, before)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allNames(Path path) {
    for (Path.Segment s : path.segments()) {
      if (!s.isName()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> names(Path path, int from) {
    List<String> names = new ArrayList<>();
    Path.Segment[] segs = path.segments();
    for (int i = from; i < segs.length; i++) {
      names.add(segs[i].name);
    }
    return names;
  }

  /**
   * Maps one record's text, or returns {@code null} when the general engine must (the text is
   * not one this plan copies exactly, or not JSON at all).
   */
  String map(String json) {
    Worker w = workers.get();
    if (!w.scan.scan(json)) {
      return null;
    }
    w.len = 0;
    w.sortTop = 0;
    first(w, root);
    w.object(root);
    String out = new String(w.out, 0, w.len);
    if (w.out.length > MAX_KEPT_BUFFER || w.scan.b.length > MAX_KEPT_BUFFER) {
      workers.remove();
    }
    return out;
  }

  /** Notes where each output node goes: the first rule below it with a value; NONE if none. */
  private int first(Worker w, Dest d) {
    int[] start = w.scan.start;
    int at;
    if (d.isMerge()) {
      int top = ruleSource[d.rule];
      at = NONE;
      if (start[top] >= 0) {
        at = d.rule;
        for (int r : d.before) {
          if (start[ruleSource[r]] >= 0) {
            at = Math.min(at, r);
            break;
          }
        }
      }
    } else if (d.rule >= 0) {
      at = ruleSource[d.rule] < 0 || start[ruleSource[d.rule]] >= 0 ? d.rule : NONE;
    } else {
      at = NONE;
      for (Dest child : d.kids) {
        at = Math.min(at, first(w, child));
      }
    }
    w.first[d.id] = at;
    return at;
  }

  /** For a merge: which source keys move to the front, by the first rule that wrote them. */
  private void hoist(Worker w, Dest d) {
    int[] start = w.scan.start;
    // forget what another merge moved: two merges may copy the same source object
    for (int t : hoistNodes) {
      w.hoistFirst[t] = NONE;
    }
    for (int r : d.before) {
      if (start[ruleSource[r]] < 0) {
        continue;
      }
      for (int t : hoistPath[r]) {
        if (w.hoistFirst[t] == NONE) {
          w.hoistFirst[t] = r;
        }
      }
    }
  }

  /** One thread's scan, scratch arrays and output buffer. */
  private final class Worker {
    final TextScan scan = new TextScan(trie);
    final int[] first = new int[destCount];
    final int[] hoistFirst = new int[trie.size()];
    char[] out = new char[4096];
    int len;
    /** Children being put in order, as a stack (one slice per open object). */
    int[] sort = new int[64];
    int sortTop;

    Worker() {
      Arrays.fill(hoistFirst, NONE);
    }

    void ensure(int extra) {
      if (len + extra > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, len + extra));
      }
    }

    void put(char c) {
      ensure(1);
      out[len++] = c;
    }

    void put(char[] chars) {
      copy(chars, 0, chars.length);
    }

    /** Copies input text {@code [from, to)}. */
    void copy(int from, int to) {
      copy(scan.b, from, to);
    }

    private void copy(char[] from, int start, int end) {
      int count = end - start;
      ensure(count);
      char[] o = out;
      int at = len;
      if (count < 16) {
        // most values and keys are short: a loop beats the call
        for (int k = 0; k < count; k++) {
          o[at + k] = from[start + k];
        }
      } else {
        System.arraycopy(from, start, o, at, count);
      }
      len = at + count;
    }

    /** Pushes {@code ids} whose rank is set, sorted by rank; returns the slice's start. */
    int sorted(int[] ids, int[] rank) {
      int base = sortTop;
      if (sortTop + ids.length > sort.length) {
        sort = Arrays.copyOf(sort, Math.max(sort.length * 2, sortTop + ids.length));
      }
      for (int id : ids) {
        int key = rank[id];
        if (key == NONE) {
          continue;
        }
        int k = sortTop++;
        while (k > base && rank[sort[k - 1]] > key) {
          sort[k] = sort[k - 1];
          k--;
        }
        sort[k] = id;
      }
      return base;
    }

    void object(Dest d) {
      put('{');
      int base = sortTop;
      if (sortTop + d.kids.length > sort.length) {
        sort = Arrays.copyOf(sort, Math.max(sort.length * 2, sortTop + d.kids.length));
      }
      for (int k = 0; k < d.kids.length; k++) {
        int key = first[d.kids[k].id];
        if (key == NONE) {
          continue;
        }
        int at = sortTop++;
        while (at > base && first[d.kids[sort[at - 1]].id] > key) {
          sort[at] = sort[at - 1];
          at--;
        }
        sort[at] = k;
      }
      int top = sortTop;
      for (int s = base; s < top; s++) {
        if (s > base) {
          put(',');
        }
        Dest child = d.kids[sort[s]];
        put(child.keyText);
        value(child);
      }
      sortTop = base;
      put('}');
    }

    void value(Dest d) {
      if (d.isMerge()) {
        int top = ruleSource[d.rule];
        if (d.before.length == 0 || scan.b[scan.start[top]] != '{') {
          copy(scan.start[top], scan.end[top]);
        } else {
          hoist(this, d);
          merged(top);
        }
      } else if (d.rule >= 0) {
        int t = ruleSource[d.rule];
        if (t < 0) {
          put(constants[d.rule]);
        } else {
          copy(scan.start[t], scan.end[t]);
        }
      } else {
        object(d);
      }
    }

    /** Writes the source object at trie node {@code t} with its moved keys first. */
    void merged(int t) {
      put('{');
      boolean any = false;
      int[] kids = hoistKids[t];
      if (kids != null) {
        int base = sorted(kids, hoistFirst);
        int top = sortTop;
        for (int s = base; s < top; s++) {
          if (any) {
            put(',');
          }
          any = true;
          int kid = sort[s];
          put(trie.keyText[kid]);
          if (hoistKids[kid] != null && scan.block[kid] >= 0) {
            merged(kid); // an object with keys of its own to move
          } else {
            copy(scan.start[kid], scan.end[kid]);
          }
        }
        sortTop = base;
      }
      int[] m = scan.members;
      int at = scan.block[t];
      int count = m[at];
      int runStart = -1;
      int runEnd = -1;
      for (int k = 0; k < count; k++) {
        int p = at + 1 + k * TextScan.MEMBER;
        int child = m[p + 3];
        if (child >= 0 && hoistFirst[child] != NONE) {
          continue; // already written at the front
        }
        int keyStart = m[p];
        if (runStart >= 0 && keyStart == runEnd + 1) {
          runEnd = m[p + 2]; // the next member in the text: one copy for both
          continue;
        }
        if (runStart >= 0) {
          copy(runStart, runEnd);
        }
        if (any) {
          put(',');
        }
        any = true;
        runStart = keyStart;
        runEnd = m[p + 2];
      }
      if (runStart >= 0) {
        copy(runStart, runEnd);
      }
      put('}');
    }
  }
}
