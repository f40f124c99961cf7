package dev.sluice.benchmarks;

import com.bazaarvoice.jolt.Chainr;
import com.bazaarvoice.jolt.JsonUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.mapping.MappingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The three engines the benchmarks compare, each mapping one charge line (JSON text) to one
 * output line (JSON text) with its own parser and writer, all from the seed's 36-line charges
 * mapping set or its equivalent:
 *
 * <ul>
 *   <li>{@link #sluice()}: the compiled {@link MappingSet}'s {@code applyJson}, which maps the
 *       text straight to text (one checking pass over the line, mapped values copied as text; the
 *       same output as {@code DataRecord.fromJson}, {@code apply}, {@code toJson}).
 *   <li>{@link #jslt()}: Jackson's {@code readTree}, the JSLT program {@code charges.jslt} compiled
 *       with an object filter that keeps nulls, Jackson's writer.
 *   <li>{@link #jolt()}: JOLT's {@code JsonUtils} (Jackson to maps and lists), the shift spec {@code
 *       charges-shift.json}, {@code JsonUtils.toJsonString}.
 * </ul>
 *
 * <p>Every engine is immutable and safe to call from several threads at once.
 */
public final class Engines {
  private Engines() {}

  /** One engine: a charge line in, an output line out. Thread-safe. */
  @FunctionalInterface
  public interface Engine {
    /** Maps one JSON object text to one JSON object text. */
    String map(String line);
  }

  /** Reads a resource of this package as UTF-8 text. */
  static String resource(String name) {
    try (InputStream in = Engines.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sluice: the seed's mapping set compiled for tenant {@code acme}. */
  public static Engine sluice() {
    Mapping mapping = MappingSet.fromJson(resource("aep-charges-mapping-set.json")).compile("acme");
    return line -> {
      MappingResult result = mapping.applyJson(line);
      if (result.isRejected() || !result.errors().isEmpty()) {
        throw new IllegalStateException("Sluice reported " + result.errors());
      }
      return result.json();
    };
  }

  /** JSLT, with an object filter that keeps every key (nulls, {} and [] included). */
  public static Engine jslt() {
    Expression program =
        new Parser(new StringReader(resource("charges.jslt"))).withObjectFilter("true").compile();
    ObjectMapper mapper = new ObjectMapper();
    return line -> {
      try {
        JsonNode out = program.apply(mapper.readTree(line));
        return mapper.writeValueAsString(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** JOLT, one shift operation. */
  public static Engine jolt() {
    Chainr chainr = Chainr.fromSpec(JsonUtils.jsonToList(resource("charges-shift.json")));
    return line -> JsonUtils.toJsonString(chainr.transform(JsonUtils.jsonToObject(line)));
  }
}
