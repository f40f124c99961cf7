package dev.sluice.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** API key checks; a key is never shown whole, only masked like Stripe does. */
public final class Keys {
  private Keys() {}

  private static final String[] PREFIXES = {
    "sk_test_", "rk_test_", "sk_live_", "rk_live_", "pk_test_", "pk_live_"
  };

  /** Whether the emulator accepts this key: a test-mode secret or restricted key. */
  public static boolean accepted(String key) {
    return key != null
        && (key.startsWith("sk_test_") || key.startsWith("rk_test_"))
        && key.length() > 8
        && key.chars().allMatch(c -> c > 32 && c < 127);
  }

  /** {@code sk_test_****abcd}: the known prefix and at most the last four characters. */
  public static String mask(String key) {
    if (key == null) {
      return "null";
    }
    String prefix = "";
    for (String p : PREFIXES) {
      if (key.startsWith(p)) {
        prefix = p;
        break;
      }
    }
    String rest = key.substring(prefix.length());
    String tail = rest.length() >= 12 ? rest.substring(rest.length() - 4) : "";
    return prefix + "****" + tail.replaceAll("[^A-Za-z0-9_]", "?");
  }

  /**
   * The key in an {@code Authorization} header: {@code Bearer <key>}, or Basic auth with the key as
   * the user name (what {@code curl -u sk_test_…:} sends). Null if there is none.
   */
  public static String fromAuthorization(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return h.substring(7).trim();
    }
    if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()),
            StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
      } catch (IllegalArgumentException e) {
        return "";
      }
    }
    return "";
  }
}
