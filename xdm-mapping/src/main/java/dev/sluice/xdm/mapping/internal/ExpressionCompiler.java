package dev.sluice.xdm.mapping.internal;

import java.util.List;

/** Compiles calculated-field expressions. */
final class ExpressionCompiler {
  private ExpressionCompiler() {}

  static ValueSource compile(String text, String where, List<String> problems) {
    problems.add(where + ": expressions are not supported yet");
    return null;
  }
}
