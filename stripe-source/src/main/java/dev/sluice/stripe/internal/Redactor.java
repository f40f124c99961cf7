package dev.sluice.stripe.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks secrets in text that may reach a log line or an exception message. */
public final class Redactor {
  private static final Pattern KEY = Pattern.compile("\\b((?:sk|rk|pk)_(?:test|live)_)[A-Za-z0-9_*]+");

  private Redactor() {}

  /** Replaces every Stripe API key in {@code text} by its prefix and {@code ****}. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = KEY.matcher(text);
    return m.find() ? m.replaceAll("$1****") : text;
  }
}
