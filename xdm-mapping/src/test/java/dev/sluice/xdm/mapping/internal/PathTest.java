package dev.sluice.xdm.mapping.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathTest {

  @Test
  void segmentsAfterNamesAndIndexes() {
    Path p = Path.parse("a[0].b[*][2].${c d}");
    assertThat(p.length()).isEqualTo(6);
    assertThat(p.canonicalText()).isEqualTo("a[0].b[*][2].c d");
  }

  @Test
  void whatMayFollowASegmentIsChecked() {
    assertThatThrownBy(() -> Path.parse("a[0]x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected '.' or '[' after ']' at position 4 of 'a[0]x'");
    assertThatThrownBy(() -> Path.parse("a[0]."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'a[0].' ends with a dot");
    assertThatThrownBy(() -> Path.parse("${a}x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected 'x' at position 4 of '${a}x'");
    assertThatThrownBy(() -> Path.parse("a."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'a.' ends with a dot");
  }
}
