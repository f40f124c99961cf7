package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.mapping.internal.expr.ExpressionParser;
import dev.sluice.xdm.mapping.internal.expr.Node;
import dev.sluice.xdm.mapping.internal.expr.Values;
import java.util.List;

/** Compiles calculated-field expressions into value sources. */
final class ExpressionCompiler {
  private ExpressionCompiler() {}

  static ValueSource compile(String text, String where, List<String> problems) {
    Node node = ExpressionParser.parse(text, where, problems);
    if (node == null) {
      return null;
    }
    return record -> Values.toJson(node.eval(record));
  }
}
