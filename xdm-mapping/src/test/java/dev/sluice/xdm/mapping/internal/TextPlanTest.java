package dev.sluice.xdm.mapping.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonFormatException;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingRule;
import dev.sluice.xdm.mapping.MappingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The text-to-text path ({@link TextPlan} behind {@code Mapping.applyJson}) must give exactly the
 * text the record path gives ({@code apply(DataRecord.fromJson(text)).record().toJson()}), and
 * must hand every text it cannot copy exactly to the record path.
 */
class TextPlanTest {
  private static final String SEED_SET = "golden/charges/aep-charges-mapping-set.json";

  private static String resource(String name) {
    try (InputStream in = TextPlanTest.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompiledMapping compile(MappingSet set) {
    return (CompiledMapping) set.compile("acme");
  }

  /** What the record path writes for this text. */
  private static String viaRecords(Mapping mapping, String text) {
    return mapping.apply(DataRecord.fromJson(text)).record().toJson();
  }

  @Test
  void theSeedSetMapsTheGoldenChargesStraightFromText() {
    CompiledMapping mapping = compile(MappingSet.fromJson(resource(SEED_SET)));
    assertThat(mapping.mapsTextDirectly()).isTrue();
    TextPlan plan = TextPlan.of(mapping.rules());
    for (String name : List.of("seed000", "fixtures3")) {
      String pretty = resource("golden/charges/" + name + "-charge.json");
      String line = DataRecord.fromJson(pretty).toJson();
      String expected = DataRecord.fromJson(resource("golden/charges/" + name + "-expected.json")).toJson();

      String direct = plan.map(line);
      assertThat(direct).as(name).isEqualTo(viaRecords(mapping, line));
      assertThat(DataRecord.fromJson(direct)).as(name).isEqualTo(DataRecord.fromJson(expected));
      // the whole-object copy with 15 deeper rules: the deeper rules' keys come first, as the
      // record path writes them
      assertThat(direct).contains("\"payment_method_details\":{\"card\":{\"last4\":");

      // pretty-printed text is not copied: the record path maps it, with the same result
      assertThat(plan.map(pretty)).isNull();
      assertThat(mapping.applyJson(pretty).json()).isEqualTo(direct);
      assertThat(mapping.applyJson(line).json()).isEqualTo(direct);
      assertThat(mapping.applyJson(line).record()).isEqualTo(DataRecord.fromJson(direct));
      assertThat(mapping.applyJson(line).errors()).isEmpty();
    }
  }

  /** A field of the record, and whether the direct path copies the text it is in. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "plain | {'id':'ch_1','amount':1099,'outcome':{'type':'authorized','risk':12}} | true",
        "text escapes outside what is copied | {'id':'ch_1','description':'a\\nb\\u00e9\\/'} | true",
        "quote and backslash escapes copied | {'id':'say \\'hi\\' \\\\ ok'} | true",
        "newline escape in a copied value | {'id':'a\\nb'} | false",
        "unicode escape in a copied value | {'id':'caf\\u00e9'} | false",
        "slash escape in a copied object | {'outcome':{'t':'a\\/b'}} | false",
        "a decimal copied as written | {'amount':12.50} | true",
        "an exponent copied | {'amount':1e5} | false",
        "minus zero copied | {'amount':-0} | false",
        "minus zero not copied | {'id':'x','fee':-0} | true",
        "big integers | {'amount':123456789012345678901234567890} | true",
        "emoji and other scripts | {'id':'🎉客户 é','outcome':{'🎉':'ü','客户':[1,'日本']}} | true",
        "whitespace inside | {'id': 'x'} | false",
        "whitespace around | `  {'id':'x'}\n` | true",
        "a repeated key in a read object | {'id':'a','id':'b'} | false",
        "a repeated key in a copied object | {'outcome':{'t':1,'t':2}} | false",
        "a repeated key read through | {'outcome':{'type':'x'},'outcome':5} | false",
        "a repeated key nobody reads | {'id':'x','metadata':{'k':1,'k':2}} | true",
        "a key with an escape | {'id':'x','a\\nb':1} | false",
        "a raw line separator copied | {'id':'a\u2028b'} | false",
        "a lone surrogate | {'id':'a\uD800b'} | false",
        "nulls and empties | {'id':null,'outcome':{},'amount':[]} | true",
        "a non-object where a path goes through | {'id':'x','outcome':'none'} | true",
      })
  void textIsCopiedOnlyWhenTheRecordPathWouldWriteTheSame(String name, String json, boolean direct) {
    String text = json.replace('\'', '"');
    CompiledMapping mapping =
        compile(
            MappingSet.builder()
                .map("data.id", "_{TENANT_ID}.id")
                .map("data.amount", "_{TENANT_ID}.money.amount")
                .map("data.outcome.type", "_{TENANT_ID}.outcome.type")
                .map("data.outcome", "_{TENANT_ID}.outcome")
                .build());
    TextPlan plan = TextPlan.of(mapping.rules());
    String out = plan.map(text);
    if (direct) {
      assertThat(out).as("copied directly").isNotNull();
    } else {
      assertThat(out).as("left to the record path").isNull();
    }
    assertThat(mapping.applyJson(text).json()).isEqualTo(viaRecords(mapping, text));
    if (out != null) {
      assertThat(out).isEqualTo(viaRecords(mapping, text));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1,2]",
        "'x'",
        "{'id':'x',}",
        "{'id':'x'",
        "{'id':'x} ",
        "{'id':tru}",
        "{'id':01}",
        "{'id':'x'} {}",
        "{'id':'\\q'}",
        "{'id':1.}",
      })
  void textThatIsNotAJsonObjectFailsAsFromJsonFails(String json) {
    String text = json.replace('\'', '"');
    Mapping mapping = compile(MappingSet.builder().map("data.id", "_{TENANT_ID}.id").build());
    assertThatThrownBy(() -> DataRecord.fromJson(text)).isInstanceOf(JsonFormatException.class);
    assertThatThrownBy(() -> mapping.applyJson(text)).isInstanceOf(JsonFormatException.class);
  }

  @Test
  void nestingDeeperThanTheReaderAllowsIsLeftToIt() {
    String deep = "{\"id\":" + "[".repeat(300) + "]".repeat(300) + "}";
    CompiledMapping mapping = compile(MappingSet.builder().map("data.id", "_{TENANT_ID}.id").build());
    assertThat(TextPlan.of(mapping.rules()).map(deep)).isNull();
    // whatever the record path does with it, applyJson does the same
    Object viaRecords;
    try {
      viaRecords = viaRecords(mapping, deep);
    } catch (RuntimeException e) {
      viaRecords = e.getClass();
    }
    Object viaText;
    try {
      viaText = mapping.applyJson(deep).json();
    } catch (RuntimeException e) {
      viaText = e.getClass();
    }
    assertThat(viaText).isEqualTo(viaRecords);
  }

  @Test
  void setsTheDirectPathDoesNotCoverStillMapText() {
    String text = "{\"id\":\"ch_1\",\"amount\":1099,\"list\":[{\"a\":1},{\"a\":2}]}";
    List<MappingSet> sets =
        List.of(
            MappingSet.builder().expression("upper(data.id)", "_{TENANT_ID}.id").build(),
            MappingSet.builder().map("data.list[*].a", "_{TENANT_ID}.as[*]").build(),
            MappingSet.builder().map("data.list[0]", "_{TENANT_ID}.first").build(),
            // a deeper rule reading another field than the copied object's own
            MappingSet.builder()
                .map("data.list[0]", "_{TENANT_ID}.x")
                .map("data.id", "_{TENANT_ID}.x.id")
                .build(),
            MappingSet.builder()
                .constant("c", "_{TENANT_ID}.x")
                .map("data.id", "_{TENANT_ID}.x.id")
                .build());
    for (MappingSet set : sets) {
      CompiledMapping mapping = compile(set);
      assertThat(mapping.mapsTextDirectly()).as(set.toString()).isFalse();
      assertThat(mapping.applyJson(text).json()).isEqualTo(viaRecords(mapping, text));
    }
  }

  @Test
  void rulesBeforeTheCopyThatNestInEachOtherAreLeftToTheRecordPath() {
    // which of the two ran first decides the key order inside "card": the plan does not guess
    MappingSet set =
        MappingSet.builder()
            .map("data.pmd.card", "_{TENANT_ID}.pmd.card")
            .map("data.pmd.card.last4", "_{TENANT_ID}.pmd.card.last4")
            .map("data.pmd", "_{TENANT_ID}.pmd")
            .build();
    CompiledMapping mapping = compile(set);
    assertThat(mapping.mapsTextDirectly()).isFalse();
    String text = "{\"pmd\":{\"type\":\"card\",\"card\":{\"brand\":\"visa\",\"last4\":\"4242\"}}}";
    assertThat(mapping.applyJson(text).json()).isEqualTo(viaRecords(mapping, text));
  }

  @Test
  void twoCopiesOfOneObjectKeepTheirOwnKeyOrders() {
    // both copies read data.a; each has its own rules before it, reading different fields
    MappingSet set =
        MappingSet.builder()
            .map("data.a.b", "_{TENANT_ID}.x.b")
            .map("data.a.c.d", "_{TENANT_ID}.y.c.d")
            .map("data.a.c", "_{TENANT_ID}.x.c")
            .map("data.a", "_{TENANT_ID}.y")
            .map("data.a", "_{TENANT_ID}.x")
            .map("data", "_{TENANT_ID}.all")
            .map("data.id", "_{TENANT_ID}.id")
            .build();
    CompiledMapping mapping = compile(set);
    TextPlan plan = TextPlan.of(mapping.rules());
    assertThat(plan).isNotNull();
    List<String> lines =
        List.of(
            "{\"id\":\"1\",\"a\":{\"z\":0,\"c\":{\"e\":1,\"d\":2},\"b\":3}}",
            "{\"id\":\"2\",\"a\":{\"z\":0,\"c\":\"flat\",\"b\":3}}",
            "{\"a\":{\"c\":{\"d\":null},\"z\":[]},\"id\":\"3\"}",
            "{\"id\":\"4\",\"a\":{\"b\":{\"c\":1}}}",
            "{\"id\":\"5\",\"a\":null}",
            "{\"id\":\"6\"}");
    for (String line : lines) {
      assertThat(plan.map(line)).as(line).isEqualTo(viaRecords(mapping, line));
    }
  }

  @Test
  void aRuleBelowTwoNestedMergesMovesItsKeysForTheOuterOne() {
    // data.a.b.c runs before both copies: the outer copy (x) writes the inner one (x.b) too
    CompiledMapping mapping =
        compile(
            MappingSet.builder()
                .map("data.a.b.c", "_{TENANT_ID}.x.b.c")
                .map("data.a", "_{TENANT_ID}.x")
                .map("data.a.b", "_{TENANT_ID}.x.b")
                .build());
    TextPlan plan = TextPlan.of(mapping.rules());
    String line = "{\"a\":{\"z\":1,\"b\":{\"y\":2,\"c\":3}}}";
    assertThat(plan.map(line))
        .isEqualTo(viaRecords(mapping, line))
        .isEqualTo("{\"_acme\":{\"x\":{\"b\":{\"c\":3,\"y\":2},\"z\":1}}}");
  }

  /** The output text and warnings, or the exception's type. */
  private static Object outcome(java.util.function.Supplier<dev.sluice.xdm.mapping.MappingResult> run) {
    try {
      dev.sluice.xdm.mapping.MappingResult result = run.get();
      return result.json() + " " + result.errors();
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "data.id | {'id':'a','n':1e9999999999}",
        "data.id | {'id':'a','n':[1.5e2147483648]}",
        "data.id | {'id':'a','n':1E-9999999999}",
        "data.n | {'n':1e9999999999}",
        "data.n | {'d':'\\n','n':1e9999999999}",
        "data.n | ` {'n':1e9999999999}`",
        "data.o | {'o':{'n':1e9999999999}}",
      })
  void aDecimalTooLargeToHoldIsLeftToTheRecordPath(String source, String json) {
    String text = json.replace('\'', '"');
    CompiledMapping mapping = compile(MappingSet.builder().map(source, "_{TENANT_ID}.x").build());
    assertThat(TextPlan.of(mapping.rules()).map(text)).isNull();
    Object viaRecords = outcome(() -> mapping.apply(DataRecord.fromJson(text)));
    assertThat(outcome(() -> mapping.applyJson(text))).isEqualTo(viaRecords);
  }

  // ---------------------------------------------------------------------------------------------
  // Random mapping sets over random records: the direct path must agree with the record path.

  private static final String[] PATH_KEYS = {"a", "b", "c", "id", "card", "amount", "n", "list"};
  // keys a path would have to escape; keys with JSON escapes are in the table above
  private static final String[] OTHER_KEYS = {"x y", "é", "🎉", "客户", "a.b", "$"};

  private static Object randomValue(Random r, int depth) {
    int kind = r.nextInt(depth >= 4 ? 6 : 10);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return r.nextBoolean();
      case 2:
        return (long) r.nextInt(200_001) - 100_000;
      case 3:
        return randomString(r);
      case 4:
        return new BigDecimal(BigInteger.valueOf(r.nextInt(1_000_000)), 1 + r.nextInt(3));
      case 5:
        return new BigInteger(80, r);
      case 6:
      case 7:
      case 8:
        return randomObject(r, depth + 1);
      default:
        List<Object> list = new ArrayList<>();
        int size = r.nextInt(4);
        for (int i = 0; i < size; i++) {
          list.add(randomValue(r, depth + 1));
        }
        return list;
    }
  }

  private static String randomString(Random r) {
    String[] parts = {"ch_", "visa", "4242", " ", "é", "🎉", "客户", "\"", "\\", "\n", "\t", "\u2028", "/", ""};
    StringBuilder s = new StringBuilder();
    int count = r.nextInt(5);
    for (int i = 0; i < count; i++) {
      // control characters and U+2028 are rare, so most copied strings stay copyable
      String part = parts[r.nextInt(parts.length)];
      if ((part.equals("\n") || part.equals("\t") || part.equals("\u2028")) && r.nextInt(4) > 0) {
        part = "x";
      }
      s.append(part);
    }
    return s.toString();
  }

  private static DataRecord randomObject(Random r, int depth) {
    DataRecord.Builder b = DataRecord.builder();
    List<String> keys = new ArrayList<>(List.of(PATH_KEYS));
    if (r.nextInt(3) == 0) {
      keys.add(OTHER_KEYS[r.nextInt(OTHER_KEYS.length)]);
    }
    Collections.shuffle(keys, r);
    int count = r.nextInt(keys.size() + 1);
    for (int i = 0; i < count; i++) {
      b.put(keys.get(i), randomValue(r, depth));
    }
    return b.build();
  }

  /** A path of 1 to 3 names from the path keys. */
  private static List<String> randomPath(Random r) {
    List<String> path = new ArrayList<>();
    int length = 1 + r.nextInt(3);
    for (int i = 0; i < length; i++) {
      path.add(PATH_KEYS[r.nextInt(PATH_KEYS.length)]);
    }
    return path;
  }

  private static String source(List<String> path) {
    return "data." + String.join(".", path);
  }

  private static String destination(List<String> path) {
    return "_{TENANT_ID}." + String.join(".", path);
  }

  /**
   * A random set the direct path covers: plain copies, constants, and whole-object copies with
   * deeper rules reading the same place below, some before the copy and some after.
   */
  private static MappingSet randomSet(Random r) {
    List<MappingRule> rules = new ArrayList<>();
    java.util.Set<String> destinations = new java.util.HashSet<>();
    List<List<String>> copied = new ArrayList<>();
    int count = 1 + r.nextInt(8);
    for (int i = 0; i < count; i++) {
      List<String> dest = randomPath(r);
      if (destinations.stream().anyMatch(d -> d.startsWith(destination(dest)) || destination(dest).startsWith(d))) {
        continue; // overlaps come only from the merges below
      }
      if (r.nextInt(6) == 0) {
        destinations.add(destination(dest));
        rules.add(MappingRule.constant("k" + i, destination(dest)));
        continue;
      }
      List<String> src = randomPath(r);
      if (r.nextInt(3) > 0) {
        destinations.add(destination(dest));
        rules.add(MappingRule.attribute(source(src), destination(dest)));
        continue;
      }
      // a merge: the copy, and deeper rules below the same relative paths; half the time of an
      // object another merge copies too
      if (!copied.isEmpty() && r.nextBoolean()) {
        src = copied.get(r.nextInt(copied.size()));
      }
      copied.add(src);
      List<MappingRule> group = new ArrayList<>();
      java.util.Set<String> relatives = new java.util.HashSet<>();
      int deeper = 1 + r.nextInt(4);
      for (int k = 0; k < deeper; k++) {
        List<String> rel = randomPath(r);
        relatives.add(String.join(".", rel));
      }
      // keep the deeper rules from nesting in each other
      List<String> flat = new ArrayList<>();
      for (String rel : relatives) {
        if (relatives.stream().noneMatch(o -> !o.equals(rel) && (o.startsWith(rel + ".") || rel.startsWith(o + ".")))) {
          flat.add(rel);
        }
      }
      Collections.sort(flat);
      for (String rel : flat) {
        group.add(MappingRule.attribute(source(src) + "." + rel, destination(dest) + "." + rel));
      }
      group.add(r.nextInt(group.size() + 1), MappingRule.attribute(source(src), destination(dest)));
      destinations.add(destination(dest));
      rules.addAll(group);
    }
    MappingSet.Builder b = MappingSet.builder();
    rules.forEach(b::add);
    return b.build();
  }

  /** Records that share most of their shape, as one resource's objects do, with variations. */
  private static List<String> randomLines(Random r, int count) {
    DataRecord base = randomObject(r, 0);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      DataRecord record = r.nextInt(3) == 0 ? randomObject(r, 0) : vary(base, r);
      lines.add(record.toJson());
    }
    return lines;
  }

  private static DataRecord vary(DataRecord base, Random r) {
    DataRecord.Builder b = DataRecord.builder();
    for (String key : base.asMap().keySet()) {
      Object v = base.get(key);
      int roll = r.nextInt(10);
      if (roll == 0) {
        continue; // dropped
      } else if (roll == 1) {
        b.put(key, randomValue(r, 2));
      } else if (v instanceof DataRecord && roll < 5) {
        b.put(key, vary((DataRecord) v, r));
      } else {
        b.put(key, v);
      }
    }
    if (r.nextInt(5) == 0) {
      b.put(PATH_KEYS[r.nextInt(PATH_KEYS.length)], randomValue(r, 2));
    }
    return b.build();
  }

  @Test
  void randomSetsOverRandomRecordsGiveTheRecordPathsText() {
    Random r = new Random(20261122);
    int mapped = 0;
    int direct = 0;
    int plans = 0;
    for (int s = 0; s < 400; s++) {
      MappingSet set = randomSet(r);
      CompiledMapping mapping;
      try {
        mapping = compile(set);
      } catch (RuntimeException e) {
        continue; // e.g. two rules writing one destination: refused, as it should be
      }
      TextPlan plan = TextPlan.of(mapping.rules());
      assertThat(plan).as("a set of copies and constants is covered: %s", set).isNotNull();
      plans++;
      for (String line : randomLines(r, 25)) {
        String expected = viaRecords(mapping, line);
        String out = plan.map(line);
        if (out != null) {
          direct++;
          assertThat(out).as("set %s%nline %s", set.toJson(), line).isEqualTo(expected);
        }
        assertThat(mapping.applyJson(line).json()).isEqualTo(expected);
        mapped++;
      }
    }
    assertThat(plans).isGreaterThan(300);
    // most lines are copyable; the rest carry escapes the writer would write otherwise
    assertThat(direct).isGreaterThan(mapped / 2);
  }

  @Test
  void recordsWithEverNewKeysStayRightPastTheShapeMemory() {
    CompiledMapping mapping =
        compile(
            MappingSet.builder()
                .map("data.id", "_{TENANT_ID}.id")
                .map("data.metadata", "_{TENANT_ID}.metadata")
                .build());
    TextPlan plan = TextPlan.of(mapping.rules());
    String pad = "k".repeat(200);
    for (int i = 0; i < 3_000; i++) {
      String line = "{\"id\":\"ch_" + i + "\",\"metadata\":{\"" + pad + i + "\":" + i + ",\"" + i + pad + "\":null}}";
      assertThat(plan.map(line)).isEqualTo(viaRecords(mapping, line));
    }
  }

  @Test
  void oneCompiledMappingServesThreadsAtOnce() throws Exception {
    Random r = new Random(7);
    MappingSet set =
        MappingSet.builder()
            .map("data.a.b", "_{TENANT_ID}.x.b")
            .map("data.a", "_{TENANT_ID}.x")
            .map("data.id", "_{TENANT_ID}.id")
            .map("data.a.c", "_{TENANT_ID}.x.c")
            .build();
    CompiledMapping mapping = compile(set);
    List<String> lines = randomLines(r, 400);
    List<String> expected = new ArrayList<>();
    for (String line : lines) {
      expected.add(viaRecords(mapping, line));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t * 97;
        results.add(
            pool.submit(
                () -> {
                  List<String> out = new ArrayList<>(Collections.nCopies(lines.size(), (String) null));
                  for (int k = 0; k < lines.size(); k++) {
                    int at = (k + offset) % lines.size();
                    out.set(at, mapping.applyJson(lines.get(at)).json());
                  }
                  return out;
                }));
      }
      for (Future<List<String>> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
