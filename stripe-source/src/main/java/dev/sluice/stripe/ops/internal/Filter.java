package dev.sluice.stripe.ops.internal;

import dev.sluice.stripe.ops.FilterSyntaxException;
import dev.sluice.xdm.DataRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed filter clause and its exact meaning: the predicate every record is checked against,
 * whichever way the listing ran.
 */
public sealed interface Filter {

  /** Whether the record satisfies the clause. */
  boolean test(DataRecord record);

  /** The comparison operators. */
  enum Op {
    EQ, NE, LT, LE, GT, GE, IS_NULL, IS_NOT_NULL
  }

  /**
   * One comparison.
   *
   * @param column the column as written
   * @param path the record path it means, such as {@code payment_method} or {@code metadata.Plan}
   * @param op the operator
   * @param value a {@link String}, {@link BigDecimal} or {@link Boolean}; null for the null tests
   */
  record Compare(String column, String path, Op op, Object value) implements Filter {
    @Override
    public boolean test(DataRecord record) {
      Object actual = record.hasPath(path) ? record.getPath(path) : null;
      if (actual instanceof DataRecord expanded && expanded.has("id")) {
        actual = expanded.get("id");
      }
      if (op == Op.IS_NULL) {
        return actual == null;
      }
      if (op == Op.IS_NOT_NULL) {
        return actual != null;
      }
      if (actual == null || actual instanceof DataRecord || actual instanceof List) {
        return false;
      }
      int c;
      if (actual instanceof Number n) {
        BigDecimal literal = number(value);
        if (literal == null) {
          c = actual.toString().compareTo(text(value));
        } else {
          c = new BigDecimal(n.toString()).compareTo(literal);
        }
      } else if (actual instanceof Boolean b) {
        c = b.toString().compareTo(text(value).toLowerCase(Locale.ROOT));
      } else {
        c = actual.toString().compareTo(text(value));
      }
      return switch (op) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
        default -> throw new AssertionError(op);
      };
    }

    static BigDecimal number(Object v) {
      if (v instanceof BigDecimal d) {
        return d;
      }
      if (v instanceof String s) {
        try {
          return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return null;
    }

    static String text(Object v) {
      return v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
    }
  }

  /** All of the parts hold. */
  record And(List<Filter> parts) implements Filter {
    /** Copies the list. */
    public And {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean test(DataRecord record) {
      for (Filter f : parts) {
        if (!f.test(record)) {
          return false;
        }
      }
      return true;
    }
  }

  /** One of the parts holds. */
  record Or(List<Filter> parts) implements Filter {
    /** Copies the list. */
    public Or {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean test(DataRecord record) {
      for (Filter f : parts) {
        if (f.test(record)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Parses a clause.
   *
   * @throws FilterSyntaxException with the column where it went wrong
   */
  static Filter parse(String clause) {
    return new Parser(clause).parse();
  }

  /** The column names of a clause mean record paths: {@code PaymentMethod} is {@code payment_method}. */
  static String path(String column) {
    String[] parts = column.split("\\.");
    StringBuilder sb = new StringBuilder();
    boolean inMetadata = false;
    for (String part : parts) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      String name = inMetadata ? part : Inputs.snake(part);
      sb.append(name);
      inMetadata = !inMetadata && name.equals("metadata");
    }
    return sb.toString();
  }

  /** A recursive-descent parser: {@code or := and (OR and)*; and := primary (AND primary)*}. */
  final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Filter parse() {
      skip();
      if (pos >= text.length()) {
        throw error("the clause is empty");
      }
      Filter f = or();
      skip();
      if (pos < text.length()) {
        throw error("expected AND, OR or the end of the clause");
      }
      return f;
    }

    private Filter or() {
      List<Filter> parts = new ArrayList<>();
      parts.add(and());
      while (keyword("OR")) {
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Or(parts);
    }

    private Filter and() {
      List<Filter> parts = new ArrayList<>();
      parts.add(primary());
      while (keyword("AND")) {
        parts.add(primary());
      }
      return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    private Filter primary() {
      skip();
      if (pos < text.length() && text.charAt(pos) == '(') {
        pos++;
        Filter inner = or();
        skip();
        if (pos >= text.length() || text.charAt(pos) != ')') {
          throw error("expected )");
        }
        pos++;
        return inner;
      }
      int start = pos;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
          || text.charAt(pos) == '_' || text.charAt(pos) == '.')) {
        pos++;
      }
      String column = text.substring(start, pos);
      if (column.isEmpty() || !Character.isLetter(column.charAt(0))) {
        pos = start;
        throw error("expected a column name");
      }
      if (column.endsWith(".") || column.contains("..")) {
        throw error("a column name cannot end with or repeat '.'");
      }
      String path = path(column);
      skip();
      if (keyword("IS")) {
        boolean not = keyword("NOT");
        if (!keyword("NULL")) {
          throw error("expected NULL after IS" + (not ? " NOT" : ""));
        }
        return new Compare(column, path, not ? Op.IS_NOT_NULL : Op.IS_NULL, null);
      }
      Op op = operator();
      skip();
      int valueAt = pos;
      Object value = value();
      if (value == null) {
        if (op == Op.EQ) {
          return new Compare(column, path, Op.IS_NULL, null);
        }
        if (op == Op.NE) {
          return new Compare(column, path, Op.IS_NOT_NULL, null);
        }
        pos = valueAt;
        throw error("NULL can only be compared with =, != or IS");
      }
      return new Compare(column, path, op, value);
    }

    private Op operator() {
      String[] ops = {"<=", ">=", "!=", "<>", "=", "<", ">"};
      for (String o : ops) {
        if (text.startsWith(o, pos)) {
          pos += o.length();
          return switch (o) {
            case "<=" -> Op.LE;
            case ">=" -> Op.GE;
            case "!=", "<>" -> Op.NE;
            case "=" -> Op.EQ;
            case "<" -> Op.LT;
            default -> Op.GT;
          };
        }
      }
      throw error("expected an operator (= != <> < <= > >=) or IS");
    }

    /** A quoted string, a number, TRUE, FALSE, or NULL (returned as null). */
    private Object value() {
      if (pos >= text.length()) {
        throw error("expected a value");
      }
      char c = text.charAt(pos);
      if (c == '\'') {
        int open = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
          char ch = text.charAt(pos);
          if (ch == '\\' && pos + 1 < text.length()
              && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '\\')) {
            sb.append(text.charAt(pos + 1));
            pos += 2;
          } else if (ch == '\'' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
            sb.append('\'');
            pos += 2;
          } else if (ch == '\'') {
            pos++;
            return sb.toString();
          } else {
            sb.append(ch);
            pos++;
          }
        }
        pos = open;
        throw error("the quoted value is not closed");
      }
      if (c == '"') {
        throw error("values go in single quotes ('usd'), not double quotes");
      }
      int start = pos;
      if (c == '-' || c == '+') {
        pos++;
      }
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
          || text.charAt(pos) == '.' || text.charAt(pos) == '_')) {
        pos++;
      }
      String word = text.substring(start, pos);
      switch (word.toUpperCase(Locale.ROOT)) {
        case "NULL":
          return null;
        case "TRUE":
          return Boolean.TRUE;
        case "FALSE":
          return Boolean.FALSE;
        default:
          break;
      }
      try {
        return new BigDecimal(word);
      } catch (NumberFormatException e) {
        pos = start;
        throw error(word.isEmpty() ? "expected a value"
            : "expected a quoted value, a number, TRUE, FALSE or NULL, found '" + word
                + "' (put text in single quotes)");
      }
    }

    /** Consumes a keyword (case-insensitive, as a whole word) if it comes next. */
    private boolean keyword(String word) {
      skip();
      int end = pos + word.length();
      if (end <= text.length() && text.regionMatches(true, pos, word, 0, word.length())
          && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
        pos = end;
        return true;
      }
      return false;
    }

    private void skip() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private FilterSyntaxException error(String problem) {
      return new FilterSyntaxException(text, pos + 1, problem);
    }
  }
}
