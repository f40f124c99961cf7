package dev.sluice.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast JSON path (validating scan, lazily parsed objects, text-copying writer) against Moshi,
 * its reference: the same values, the same text, the same errors.
 */
class FastJsonTest {

  private static void sameAsMoshi(String json) {
    Object fast = JsonValues.parse(json);
    Object moshi = JsonValues.parseWithMoshi(json);
    assertThat(fast).as(json).isEqualTo(moshi);
    assertThat(JsonValues.toJson(fast)).as(json).isEqualTo(JsonValues.toJsonWithMoshi(moshi));
    assertThat(JsonValues.toJson(moshi)).as(json).isEqualTo(JsonValues.toJsonWithMoshi(moshi));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = FastJsonTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void chargesPrettyAndCompact() throws IOException {
    for (String name : List.of("seed000-charge.json", "fixtures3-charge.json", "fixtures3-expected.json")) {
      String pretty = resource("/golden/charges/" + name);
      sameAsMoshi(pretty);
      String compact = DataRecord.fromJson(pretty).toJson();
      sameAsMoshi(compact);
      // compact text is copied as it is
      assertThat(DataRecord.fromJson(compact).toJson()).isEqualTo(compact);
    }
  }

  @Test
  void oddButValidText() {
    for (String json :
        List.of(
            "{}", "[]", "{\"a\":{}}", " { \"a\" : [ 1 , 2 ] } ", "{\"a\":1,\"a\":2}",
            "{\"x\":{\"a\":1,\"b\":null,\"a\":3}}", "{\"a\":-0,\"b\":-0.0,\"c\":1e5,\"d\":1.50,\"e\":0.0000001}",
            "{\"big\":123456789012345678901234567890,\"max\":9223372036854775807,\"min\":-9223372036854775808}",
            "{\"over\":9223372036854775808,\"n19\":1234567890123456789}",
            "{\"s\":\"\\u00e9\\n\\t\\\"\\\\\\/\\b\\f\\r\\u0001\\u2028 \u2029 é ✓\"}",
            "{\"e\\u0041\":\"key escape\"}", "\"text\"", "12", "null", "true", "[{\"a\":[{\"b\":false}]}]",
            "{\"emoji\":\"\uD83D\uDE00\"}", "{\"lone\":\"a\uD800b\",\"k\uDC00\":1}", "{\"ключ\":\"значение \\u00e9\"}", "{\"a\":{\"b\":{\"c\":{}}},\"d\":[[],[{}]]}")) {
      sameAsMoshi(json);
    }
  }

  @Test
  void malformedTextFailsAsMoshiDoes() {
    for (String json :
        List.of("{", "{\"a\":}", "{\"a\":1,}", "[1,]", "{\"a\" 1}", "{'a':1}", "{\"a\":01}", "{} {}",
            "{\"a\":tru}", "{\"a\":\"\\x\"}", "", "{\"a\":1.}", "{\"a\":-}", "{a:1}", "[1 2]")) {
      Throwable moshi = catchIt(() -> JsonValues.parseWithMoshi(json));
      Throwable fast = catchIt(() -> JsonValues.parse(json));
      assertThat(fast).as(json).isNotNull();
      assertThat(fast.getClass()).as(json).isEqualTo(moshi.getClass());
      assertThat(fast.getMessage()).as(json).isEqualTo(moshi.getMessage());
    }
    assertThatThrownBy(() -> DataRecord.fromJson("[1]")).isInstanceOf(JsonFormatException.class);
  }

  @Test
  void randomStringsWriteAsMoshiWrites() {
    Random random = new Random(7);
    char[] alphabet = {'a', '"', '\\', '/', '\n', '\u0000', '\u001f', '\u2028', '\u2029', 'é',
        '\uD83D', '\uDE00', ' ', '\t', '\u007f'};
    for (int k = 0; k < 2000; k++) {
      StringBuilder b = new StringBuilder();
      for (int i = random.nextInt(8); i > 0; i--) {
        b.append(alphabet[random.nextInt(alphabet.length)]);
      }
      DataRecord r = DataRecord.builder().put(b.toString(), b.toString()).build();
      assertThat(JsonValues.toJson(r)).isEqualTo(JsonValues.toJsonWithMoshi(r));
      String text = JsonValues.toJsonWithMoshi(r);
      sameAsMoshi(text);
    }
  }

  @Test
  void lazyRecordsAreSafeToShare() throws Exception {
    DataRecord record = DataRecord.fromJson("{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":\"x\"}");
    Thread[] threads = new Thread[4];
    Object[] seen = new Object[4];
    for (int t = 0; t < threads.length; t++) {
      int slot = t;
      threads[t] = new Thread(() -> seen[slot] = record.getPath("a.b[1].c") == null && record.hasPath("a.b[1].c"));
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen).containsOnly(true);
    assertThat(record.toBuilder().put("d", "y").build().toJson()).isEqualTo("{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":\"y\"}");
  }

  @Test
  void fieldsAreFoundWithoutParsingTheirSiblings() {
    DataRecord r =
        DataRecord.fromJson("{\"a\":1,\"x\":{\"a\":1,\"b\":null,\"a\":3},\"a\":2,\"l\":[{\"c\":\"d\"}],\"\\u0041\":5}");
    assertThat(r.get("a")).isEqualTo(2L); // the last of a repeated key, as Moshi reads it
    assertThat(r.getPath("x.a")).isEqualTo(3L);
    assertThat(r.hasPath("x.b")).isTrue();
    assertThat(r.getPath("x.b")).isNull();
    assertThat(r.hasPath("x.c")).isFalse();
    assertThat(r.getPath("l[0].c")).isEqualTo("d");
    assertThat(r.get("A")).isEqualTo(5L);
    assertThat(r.has("zz")).isFalse();
    assertThat(r.get("x")).isSameAs(r.get("x"));
    assertThat(r.keys()).containsExactly("a", "x", "l", "A");
    assertThat(r.toJson()).isEqualTo("{\"a\":2,\"x\":{\"a\":3,\"b\":null},\"l\":[{\"c\":\"d\"}],\"A\":5}");
    DataRecord plain = DataRecord.fromJson("{\"id\":\"ch_1\",\"n\":{\"k\":[1,2]},\"e\":{}}");
    assertThat(plain.getPath("n.k[1]")).isEqualTo(2L);
    assertThat(plain.getRecord("e").isEmpty()).isTrue();
    assertThat(plain).isEqualTo(JsonValues.parseWithMoshi(plain.toJson()));
  }

  @Test
  void largeObjectsFindKeysThroughTheirIndex() {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 40; i++) {
      json.append("\"k").append(i).append("\":").append(i).append(',');
    }
    json.append("\"k7\":\"last\",\"Aa\":1,\"BB\":2}"); // "Aa" and "BB" share a hash
    DataRecord r = DataRecord.fromJson(json.toString());
    assertThat(r.get("k0")).isEqualTo(0L);
    assertThat(r.get("k39")).isEqualTo(39L);
    assertThat(r.get("k7")).isEqualTo("last");
    assertThat(r.get("Aa")).isEqualTo(1L);
    assertThat(r.get("BB")).isEqualTo(2L);
    assertThat(r.has("k40")).isFalse();
    assertThat(r).isEqualTo(JsonValues.parseWithMoshi(json.toString()));
  }

  private static Throwable catchIt(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
