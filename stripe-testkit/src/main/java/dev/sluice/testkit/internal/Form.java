package dev.sluice.testkit.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Stripe's form encoding ({@code application/x-www-form-urlencoded}, also used for query
 * strings) into a tree: {@code metadata[key]=v} becomes a nested map, {@code expand[]=a} and
 * {@code items[0][price]=p} become lists. Values are strings; an empty string is kept (Stripe uses
 * it to clear a field). Maps keep the order in which keys first appear.
 */
public final class Form {
  private Form() {}

  /** Parses an encoded string; null or empty gives an empty map. */
  public static Map<String, Object> parse(String encoded) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return root;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      put(root, segments(name), value);
    }
    return normalize(root);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid(null, "Invalid form encoding near '" + s + "'", null);
    }
  }

  /** {@code a[b][]} → [a, b, ""]. */
  static List<String> segments(String name) {
    List<String> out = new ArrayList<>();
    int open = name.indexOf('[');
    if (open <= 0 || !name.endsWith("]")) {
      out.add(name);
      return out;
    }
    out.add(name.substring(0, open));
    int i = open;
    while (i < name.length() && name.charAt(i) == '[') {
      int close = name.indexOf(']', i);
      if (close < 0) {
        out.clear();
        out.add(name);
        return out;
      }
      out.add(name.substring(i + 1, close));
      i = close + 1;
    }
    if (i != name.length()) {
      out.clear();
      out.add(name);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> root, List<String> keys, String value) {
    Object node = root;
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      boolean last = i == keys.size() - 1;
      if (node instanceof List) {
        List<Object> list = (List<Object>) node;
        if (last) {
          list.add(value);
          return;
        }
        Map<String, Object> child = new LinkedHashMap<>();
        list.add(child);
        node = child;
        continue;
      }
      Map<String, Object> map = (Map<String, Object>) node;
      if (last) {
        map.put(key, value);
        return;
      }
      boolean nextIsAppend = keys.get(i + 1).isEmpty();
      Object child = map.get(key);
      if (nextIsAppend) {
        if (!(child instanceof List)) {
          child = new ArrayList<>();
          map.put(key, child);
        }
      } else if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        map.put(key, child);
      }
      node = child;
    }
  }

  /** Turns maps whose keys are all 0..n-1 into lists. */
  @SuppressWarnings("unchecked")
  private static <T> T normalize(T node) {
    if (node instanceof Map) {
      Map<String, Object> map = (Map<String, Object>) node;
      map.replaceAll((k, v) -> normalize(v));
      if (!map.isEmpty() && map.keySet().stream().allMatch(k -> k.matches("\\d{1,4}"))) {
        int n = map.size();
        Object[] items = new Object[n];
        for (Map.Entry<String, Object> e : map.entrySet()) {
          int idx = Integer.parseInt(e.getKey());
          if (idx >= n || items[idx] != null) {
            return node;
          }
          items[idx] = e.getValue();
        }
        return (T) new ArrayList<>(List.of(items));
      }
      return node;
    }
    if (node instanceof List) {
      List<Object> list = (List<Object>) node;
      list.replaceAll(Form::normalize);
    }
    return node;
  }
}
