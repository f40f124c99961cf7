package dev.sluice.xdm.internal;

import dev.sluice.xdm.JsonValues;

/**
 * The JSON grammar's smaller pieces (RFC 8259), shared by the scanners that read JSON text
 * without a parser: where a number or an escape ends, and whether a number prints back as it was
 * written.
 */
public final class JsonSyntax {
  private JsonSyntax() {}

  /** Set in {@link #number}'s answer when the number has a fraction or an exponent. */
  public static final long DECIMAL = 1L << 32;

  /**
   * Scans the number that starts at {@code b[i]}: its end, plus {@link #DECIMAL} when it has a
   * fraction or an exponent; or -1 when the text there is not a JSON number ({@code
   * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}). {@code n} is the text's end. The end is
   * {@code (int) answer}.
   */
  public static long number(char[] b, int i, int n) {
    if (i < n && b[i] == '-') {
      i++;
    }
    if (i >= n) {
      return -1;
    }
    char c = b[i];
    if (c == '0') {
      i++;
    } else if (c >= '1' && c <= '9') {
      i = digitsEnd(b, i + 1, n);
    } else {
      return -1;
    }
    long decimal = 0;
    if (i < n && b[i] == '.') {
      int digits = i + 1;
      i = digitsEnd(b, digits, n);
      if (i == digits) {
        return -1;
      }
      decimal = DECIMAL;
    }
    if (i < n && ((c = b[i]) == 'e' || c == 'E')) {
      i++;
      if (i < n && ((c = b[i]) == '+' || c == '-')) {
        i++;
      }
      int digits = i;
      i = digitsEnd(b, digits, n);
      if (i == digits) {
        return -1;
      }
      decimal = DECIMAL;
    }
    return i | decimal;
  }

  private static int digitsEnd(char[] b, int i, int n) {
    char c;
    while (i < n && (c = b[i]) >= '0' && c <= '9') {
      i++;
    }
    return i;
  }

  /**
   * Whether the JSON number {@code b[begin, end)}, as {@link #number} scanned it, is written
   * exactly as {@link JsonValues#toJson} writes the value it reads as: not {@code -0}, and a
   * decimal as {@code BigDecimal} prints it.
   */
  public static boolean printsAsWritten(char[] b, int begin, long scanned) {
    int end = (int) scanned;
    if ((scanned & DECIMAL) != 0) {
      String literal = new String(b, begin, end - begin);
      return JsonValues.parseNumber(literal, "$").toString().equals(literal);
    }
    return !(end - begin == 2 && b[begin] == '-'); // "-0" reads as 0
  }

  /**
   * Where the escape whose letter is at {@code b[i]} (just after the backslash) ends, or -1 when it
   * is not one of JSON's ({@code \" \\ \/ \b \f \n \r \t \\uXXXX}).
   */
  public static int escapeEnd(char[] b, int i, int n) {
    if (i >= n) {
      return -1;
    }
    switch (b[i]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return i + 1;
      case 'u':
        if (i + 5 > n) {
          return -1;
        }
        for (int k = 1; k <= 4; k++) {
          if (Character.digit(b[i + k], 16) < 0) {
            return -1;
          }
        }
        return i + 5;
      default:
        return -1;
    }
  }
}
