package dev.sluice.xdm.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.xdm.DataRecord;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every golden case under {@code golden/cases/}. A case file holds one case or {@code
 * {"cases": [...]}}; a case has:
 *
 * <ul>
 *   <li>{@code input}: the Stripe object;
 *   <li>{@code mappingSet} (a full AEP mapping set) or {@code mappings} (just its rules, in either
 *       form); {@code tenant} (default {@code acme});
 *   <li>{@code schema}: an optional XDM target schema (JSON Schema, XDM style);
 *   <li>then either {@code expected} (the output record) and {@code errors} (every error and warning,
 *       as {@code {"code", "destination", "rejects"}}; none when left out), or {@code rejected: true}
 *       with its {@code errors}, or {@code compileProblems}: text each compile problem must contain,
 *       one per problem, in order.
 * </ul>
 *
 * Expected values are written by hand from the input and the documentation of each function.
 */
class GoldenCasesTest {

  static Stream<Arguments> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenCasesTest.class.getResource("/golden/cases").toURI());
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().collect(Collectors.toList())) {
        DataRecord doc = DataRecord.fromJson(Files.readString(file));
        List<Object> cases = doc.has("cases") ? doc.getList("cases") : List.of(doc);
        for (Object c : cases) {
          DataRecord test = (DataRecord) c;
          String name = file.getFileName() + ": " + test.getString("description");
          out.add(Arguments.of(Named.of(name, test)));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(DataRecord test) {
    MappingSet set;
    if (test.has("mappingSet")) {
      set = MappingSet.fromJson(test.getRecord("mappingSet").toJson());
    } else {
      set = MappingSet.fromJson(DataRecord.builder().put("mappings", test.getList("mappings")).build().toJson());
    }
    String tenant = test.has("tenant") ? test.getString("tenant") : "acme";
    if (test.has("compileProblems")) {
      MappingSpecException e =
          catchThrowableOfType(MappingSpecException.class, () -> GoldenSupport.compile(set, tenant, test));
      assertThat(e).as("the set must be refused").isNotNull();
      List<Object> expected = test.getList("compileProblems");
      assertThat(e.problems()).as("problems: %s", e.problems()).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(e.problems().get(i)).contains((String) expected.get(i));
      }
      return;
    }
    Mapping mapping = GoldenSupport.compile(set, tenant, test);
    MappingResult result = mapping.apply(test.getRecord("input"));
    // the same case as text: applyJson gives the same output text and the same errors
    MappingResult viaText = mapping.applyJson(test.getRecord("input").toJson());
    assertThat(viaText.json()).as("applyJson").isEqualTo(result.json());
    assertThat(viaText.errors()).as("applyJson errors").isEqualTo(result.errors());
    List<String> actualErrors = new ArrayList<>();
    for (MappingError e : result.errors()) {
      actualErrors.add(e.code() + " " + e.destinationPath() + " " + (e.rejectsRecord() ? "rejects" : "warns"));
    }
    List<String> expectedErrors = new ArrayList<>();
    if (test.has("errors")) {
      for (Object o : test.getList("errors")) {
        DataRecord e = (DataRecord) o;
        expectedErrors.add(
            e.getString("code") + " " + e.getString("destination") + " "
                + (Boolean.TRUE.equals(e.getBoolean("rejects")) ? "rejects" : "warns"));
      }
    }
    assertThat(actualErrors).as("errors: %s", result.errors()).containsExactlyInAnyOrderElementsOf(expectedErrors);
    if (Boolean.TRUE.equals(test.getBoolean("rejected"))) {
      assertThat(result.isRejected()).as("rejected").isTrue();
    } else {
      assertThat(result.isRejected()).as("rejected: %s", result.errors()).isFalse();
      // compared as JSON text reads back, so 1099 written as a decimal equals the integer 1099
      assertThat(DataRecord.fromJson(result.record().toJson())).isEqualTo(test.getRecord("expected"));
    }
  }
}
