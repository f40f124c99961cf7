package dev.sluice.stripe.internal;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text that may reach a log line or an exception message: Stripe API keys
 * ({@code sk_}, {@code rk_}, {@code pk_}, also URL-encoded), card numbers (13 to 19 digits,
 * optionally grouped by spaces or dashes, that pass the Luhn check) and any literal secret the
 * caller names (a proxy password).
 */
public final class Redactor {
  private static final Pattern KEY =
      Pattern.compile("(?<![A-Za-z])((?:sk|rk|pk)_(?:test|live)_)[A-Za-z0-9_*]+");
  /**
   * 13 to 19 digits, each optionally preceded by one separator (space, dash, or a space as form
   * encoding writes it), not inside a longer number.
   */
  private static final Pattern PAN =
      Pattern.compile("(?:(?<![0-9])|(?<=%20))[0-9](?:(?:[ +-]|%20)?[0-9]){12,18}(?![0-9])");

  private Redactor() {}

  /**
   * Replaces every Stripe API key in {@code text} by its prefix and {@code ****}, and every
   * card-like number by {@code ****} and its last four digits.
   */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = KEY.matcher(text);
    String out = m.find() ? m.replaceAll("$1****") : text;
    return maskCards(out);
  }

  /** As {@link #redact(String)}, and also masks each of {@code secrets} (ignoring short ones). */
  public static String redact(String text, Collection<String> secrets) {
    String out = redact(text);
    if (out == null || secrets == null) {
      return out;
    }
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 3 && out.contains(secret)) {
        out = out.replace(secret, "****");
      }
    }
    return out;
  }

  private static String maskCards(String text) {
    Matcher m = PAN.matcher(text);
    StringBuilder out = null;
    int last = 0;
    int from = 0;
    while (from < text.length() && m.find(from)) {
      String digits = m.group().replace("%20", "").replaceAll("[ +-]", "");
      if (digits.length() >= 13 && digits.length() <= 19 && luhn(digits)) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, last, m.start()).append("****").append(digits.substring(digits.length() - 4));
        last = m.end();
        from = m.end();
      } else {
        from = m.start() + 1; // a card number may start inside this run of digits
      }
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }

  private static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
