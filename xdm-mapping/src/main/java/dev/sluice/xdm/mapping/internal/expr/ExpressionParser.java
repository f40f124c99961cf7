package dev.sluice.xdm.mapping.internal.expr;

import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.internal.Compiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a Data Prep calculated-field expression: function calls, string (single or double quoted),
 * number, boolean and {@code null} literals, array literals {@code [a, b]}, source paths, the
 * operators {@code + - * / %}, comparisons {@code == != < <= > >=} (also {@code eq ne lt le gt
 * ge}), {@code && || !} (also {@code and or not}), {@code div}, {@code mod} and {@code c ? a : b}.
 *
 * <p>Syntax errors stop the parse of that expression; unknown functions and wrong argument counts
 * are all collected.
 */
public final class ExpressionParser {
  private static final Map<String, String> WORD_OPERATORS =
      Map.ofEntries(
          Map.entry("and", "&&"),
          Map.entry("or", "||"),
          Map.entry("not", "!"),
          Map.entry("eq", "=="),
          Map.entry("ne", "!="),
          Map.entry("lt", "<"),
          Map.entry("le", "<="),
          Map.entry("gt", ">"),
          Map.entry("ge", ">="),
          Map.entry("div", "/"),
          Map.entry("mod", "%"));

  private final String text;
  private final List<String> problems;
  private final String where;
  private int pos;

  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private ExpressionParser(String text, String where, List<String> problems) {
    this.text = text;
    this.where = where;
    this.problems = problems;
  }

  /**
   * Parses an expression.
   *
   * @return the root node, or {@code null} if problems were added
   */
  public static Node parse(String text, String where, List<String> problems) {
    int before = problems.size();
    ExpressionParser p = new ExpressionParser(text, where, problems);
    try {
      p.skipSpace();
      if (p.pos == text.length()) {
        throw new SyntaxError("the expression is empty");
      }
      Node n = p.ternary();
      p.skipSpace();
      if (p.pos < text.length()) {
        throw p.error("unexpected '" + text.charAt(p.pos) + "'");
      }
      return problems.size() == before ? n : null;
    } catch (SyntaxError e) {
      problems.add(where + ": syntax error: " + e.getMessage());
      return null;
    }
  }

  private SyntaxError error(String message) {
    return new SyntaxError(message + " at position " + pos + " of '" + text + "'");
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean eat(String token) {
    skipSpace();
    if (text.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  /** Reads a word operator such as {@code and} if it is next, whole. */
  private String peekWord() {
    skipSpace();
    int end = pos;
    while (end < text.length() && Character.isLetter(text.charAt(end))) {
      end++;
    }
    if (end == pos) {
      return null;
    }
    String w = text.substring(pos, end);
    return WORD_OPERATORS.containsKey(w) ? w : null;
  }

  private String binaryOp(String... ops) {
    skipSpace();
    String word = peekWord();
    if (word != null) {
      String op = WORD_OPERATORS.get(word);
      for (String o : ops) {
        if (o.equals(op)) {
          pos += word.length();
          return op;
        }
      }
      return null;
    }
    for (String o : ops) {
      if (text.startsWith(o, pos)) {
        // do not read '=' of '==' as '<=' etc., nor '!' of '!=' as '!'
        if ((o.equals("<") || o.equals(">")) && text.startsWith(o + "=", pos)) {
          continue;
        }
        pos += o.length();
        return o;
      }
    }
    return null;
  }

  private Node ternary() {
    Node test = or();
    if (eat("?")) {
      Node then = ternary();
      if (!eat(":")) {
        throw error("expected ':' of '? :'");
      }
      Node otherwise = ternary();
      return new Node.Conditional(test, then, otherwise);
    }
    return test;
  }

  private Node or() {
    Node left = and();
    String op;
    while ((op = binaryOp("||")) != null) {
      left = new Node.Binary(op, left, and());
    }
    return left;
  }

  private Node and() {
    Node left = equality();
    String op;
    while ((op = binaryOp("&&")) != null) {
      left = new Node.Binary(op, left, equality());
    }
    return left;
  }

  private Node equality() {
    Node left = comparison();
    String op;
    while ((op = binaryOp("==", "!=")) != null) {
      left = new Node.Binary(op, left, comparison());
    }
    return left;
  }

  private Node comparison() {
    Node left = additive();
    String op;
    while ((op = binaryOp("<=", ">=", "<", ">")) != null) {
      left = new Node.Binary(op, left, additive());
    }
    return left;
  }

  private Node additive() {
    Node left = multiplicative();
    String op;
    while ((op = binaryOp("+", "-")) != null) {
      left = new Node.Binary(op, left, multiplicative());
    }
    return left;
  }

  private Node multiplicative() {
    Node left = unary();
    String op;
    while ((op = binaryOp("*", "/", "%")) != null) {
      left = new Node.Binary(op, left, unary());
    }
    return left;
  }

  private Node unary() {
    skipSpace();
    if (text.startsWith("!", pos) && !text.startsWith("!=", pos)) {
      pos++;
      return new Node.Unary("!", unary());
    }
    String word = peekWord();
    if ("not".equals(word)) {
      pos += 3;
      return new Node.Unary("!", unary());
    }
    if (text.startsWith("-", pos)) {
      pos++;
      skipSpace();
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos--; // a negative literal
        return primary();
      }
      return new Node.Unary("-", unary());
    }
    return primary();
  }

  private Node primary() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    if (c == '(') {
      pos++;
      Node inner = ternary();
      if (!eat(")")) {
        throw error("expected ')'");
      }
      return inner;
    }
    if (c == '"' || c == '\'') {
      return new Node.Literal(string(c));
    }
    if (c == '[') {
      pos++;
      List<Node> items = new ArrayList<>();
      if (!eat("]")) {
        do {
          items.add(ternary());
        } while (eat(","));
        if (!eat("]")) {
          throw error("expected ']' or ','");
        }
      }
      return new Node.ArrayLit(items.toArray(new Node[0]));
    }
    if (Character.isDigit(c) || c == '-') {
      return new Node.Literal(number());
    }
    if (c == '$' || c == '_' || Character.isLetter(c)) {
      return pathOrCall();
    }
    throw error("unexpected '" + c + "'");
  }

  private String string(char quote) {
    StringBuilder b = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        switch (e) {
          case 'n':
            b.append('\n');
            break;
          case 't':
            b.append('\t');
            break;
          case 'r':
            b.append('\r');
            break;
          case 'u':
            if (pos + 4 > text.length()) {
              throw error("bad \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            pos += 4;
            break;
          default:
            b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    throw error("unclosed string");
  }

  private Number number() {
    int start = pos;
    if (text.charAt(pos) == '-') {
      pos++;
    }
    while (pos < text.length()
        && (Character.isDigit(text.charAt(pos))
            || text.charAt(pos) == '.'
            || text.charAt(pos) == 'e'
            || text.charAt(pos) == 'E'
            || ((text.charAt(pos) == '+' || text.charAt(pos) == '-')
                && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
      pos++;
    }
    String literal = text.substring(start, pos);
    try {
      return JsonValues.parseNumber(literal, "$");
    } catch (RuntimeException e) {
      pos = start;
      throw error("bad number '" + literal + "'");
    }
  }

  private Node pathOrCall() {
    int start = pos;
    boolean plainIdentifier = true;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '$' && pos + 1 < text.length() && text.charAt(pos + 1) == '{') {
        plainIdentifier = false;
        int close = pos + 2;
        while (close < text.length() && text.charAt(close) != '}') {
          close += text.charAt(close) == '\\' ? 2 : 1;
        }
        if (close >= text.length()) {
          throw error("'${' is never closed");
        }
        pos = close + 1;
      } else if (c == '\\' && pos + 1 < text.length()) {
        plainIdentifier = false;
        pos += 2;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
        pos++;
      } else if (c == '.' && pos + 1 < text.length() && isSegmentStart(text.charAt(pos + 1))) {
        plainIdentifier = false;
        pos++;
      } else if (c == '[' && pos > start) {
        int close = text.indexOf(']', pos);
        String inner = close < 0 ? "" : text.substring(pos + 1, close).trim();
        if (close < 0 || !(inner.equals("*") || !inner.isEmpty() && inner.chars().allMatch(Character::isDigit))) {
          break; // not a path index
        }
        plainIdentifier = false;
        pos = close + 1;
      } else {
        break;
      }
    }
    String token = text.substring(start, pos);
    skipSpace();
    if (plainIdentifier && pos < text.length() && text.charAt(pos) == '(') {
      pos++;
      List<Node> args = new ArrayList<>();
      if (!eat(")")) {
        do {
          args.add(ternary());
        } while (eat(","));
        if (!eat(")")) {
          throw error("expected ')' or ',' in the call of " + token);
        }
      }
      return call(token, args);
    }
    if (plainIdentifier) {
      switch (token) {
        case "true":
          return new Node.Literal(Boolean.TRUE);
        case "false":
          return new Node.Literal(Boolean.FALSE);
        case "null":
          return new Node.Literal(null);
        default:
          break;
      }
    }
    try {
      return new Node.PathRef(Compiler.parseSourcePath(token));
    } catch (IllegalArgumentException e) {
      problems.add(where + ": bad path in expression: " + e.getMessage());
      return new Node.Literal(null);
    }
  }

  private static boolean isSegmentStart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '\\';
  }

  private Node call(String name, List<Node> args) {
    Functions.Fn fn = Functions.get(name); // ignores case
    if (fn == null) {
      problems.add(where + ": unknown function '" + name + "'");
      return new Node.Literal(null);
    }
    if (args.size() < fn.minArgs || args.size() > fn.maxArgs) {
      String expected =
          fn.minArgs == fn.maxArgs
              ? String.valueOf(fn.minArgs)
              : fn.maxArgs == Integer.MAX_VALUE ? "at least " + fn.minArgs : fn.minArgs + " to " + fn.maxArgs;
      problems.add(
          where + ": " + name + "() takes " + expected + " argument" + (expected.equals("1") ? "" : "s")
              + " but was given " + args.size());
      return new Node.Literal(null);
    }
    Node[] argNodes = args.toArray(new Node[0]);
    String checked = fn.checkConstants(argNodes);
    if (checked != null) {
      problems.add(where + ": " + name + "(): " + checked);
      return new Node.Literal(null);
    }
    return new Node.Call(fn, argNodes);
  }
}
