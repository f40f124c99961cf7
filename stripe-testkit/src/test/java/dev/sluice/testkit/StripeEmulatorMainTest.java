package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StripeEmulatorMainTest {
  @Test
  void flagsAreReadAndBadOnesRefusedWithOneLine() {
    assertThat(StripeEmulatorMain.parse(new String[] {"--port", "0", "--seed", "7", "--objects", "10"}))
        .isNotNull();
    assertThat(StripeEmulatorMain.parse(new String[] {"--port=0"})).isNotNull();
    assertThat(StripeEmulatorMain.parse(new String[] {"--help"})).isNull();
    assertThat(StripeEmulatorMain.parse(new String[] {"--port", "0", "--https", "--latency-ms", "5",
        "--rate-limit", "25"})).isNotNull();
    assertThatThrownBy(() -> StripeEmulatorMain.parse(new String[] {"--port", "0", "--rate-limit", "0"}))
        .hasMessageContaining("--rate-limit");
    assertThatThrownBy(() -> StripeEmulatorMain.parse(new String[] {"--port", "x"}))
        .hasMessage("--port must be a whole number, not 'x'");
    assertThatThrownBy(() -> StripeEmulatorMain.parse(new String[] {"--seed", "1"}))
        .hasMessageContaining("--port is required");
    assertThatThrownBy(() -> StripeEmulatorMain.parse(new String[] {"--port", "1", "--bogus", "2"}))
        .hasMessageContaining("unknown flag '--bogus'");
    assertThatThrownBy(() -> StripeEmulatorMain.parse(new String[] {"--port", "99999"}))
        .hasMessageContaining("0..65535");
    assertThatThrownBy(() -> StripeEmulatorMain.parse(new String[] {"--port"}))
        .hasMessage("--port needs a value");
  }
}
