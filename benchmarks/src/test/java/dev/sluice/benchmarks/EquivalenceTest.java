package dev.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check the benchmarks run at setup, on fewer lines so that the build stays fast. Runs no
 * benchmark.
 */
class EquivalenceTest {
  private static final List<String> LINES = ChargeLines.generate(1, 200);

  @Test
  void theThreeEnginesAgreeOnEveryLine() {
    int checked =
        Equivalence.check(
            LINES,
            List.of("sluice", "jslt", "jolt"),
            List.of(Engines.sluice(), Engines.jslt(), Engines.jolt()));
    assertThat(checked).isEqualTo(200);
  }

  @Test
  void nullAndAbsentAreTold() {
    String line = "{\"id\":\"ch_1\",\"customer\":null}";
    Engines.Engine sluice = Engines.sluice();
    assertThat(sluice.map(line)).isEqualTo("{\"_acme\":{\"charges_data\":{\"id\":\"ch_1\",\"customer\":null}}}");
    // JSLT reads an absent field as null, so on a line without the other fields it differs.
    assertThatThrownBy(
            () -> Equivalence.check(List.of(line), List.of("sluice", "jslt"), List.of(sluice, Engines.jslt())))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("jslt differs");
    Equivalence.check(List.of(line), List.of("sluice", "jolt"), List.of(sluice, Engines.jolt()));
  }

  @Test
  void theLinesAreDeterministic() {
    assertThat(ChargeLines.generate(1, 200)).isEqualTo(LINES);
  }
}
