package dev.sluice.testkit.internal;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stripe's {@code expand[]}: replaces an id field by the object it names, along dotted paths
 * ({@code customer}, {@code charge.customer}; on lists {@code data.customer}). A field that holds
 * no id of a known object cannot be expanded and is refused with a 400, as Stripe does.
 */
public final class Expander {
  private final Account account;

  /** An expander resolving ids in one account. */
  public Expander(Account account) {
    this.account = account;
  }

  /** The {@code expand} parameter as a list of paths (empty if absent). */
  public static List<String> paths(Map<String, Object> params) {
    Object v = params.get("expand");
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof String) {
      out.add((String) v);
    } else if (v instanceof List) {
      for (Object o : (List<?>) v) {
        if (!(o instanceof String)) {
          throw ApiError.invalid(null, "Invalid array: expand must hold strings", "expand");
        }
        out.add((String) o);
      }
    } else {
      throw ApiError.invalid(null, "Invalid array: expand must be a list of strings", "expand");
    }
    if (out.size() > 20) {
      throw ApiError.invalid(null, "You cannot expand more than 20 properties at once.", "expand");
    }
    for (String p : out) {
      if (p.split("\\.").length > 4) {
        throw ApiError.invalid(null,
            "You cannot expand more than 4 levels of a property. Property: " + p, "expand");
      }
    }
    return out;
  }

  /** Expands the paths in one object. */
  public DataRecord expand(DataRecord object, List<String> paths) {
    for (String path : paths) {
      object = expandPath(object, path.split("\\."), 0, path);
    }
    return object;
  }

  private DataRecord expandPath(DataRecord object, String[] keys, int at, String full) {
    String key = keys[at];
    if (!object.has(key)) {
      throw cannot(full);
    }
    Object value = object.get(key);
    if (value == null) {
      return object;
    }
    if (value instanceof List && at < keys.length - 1) {
      // through a list's items, as in lines.data.price
      List<Object> out = new ArrayList<>();
      for (Object item : (List<?>) value) {
        out.add(item instanceof DataRecord ? expandPath((DataRecord) item, keys, at + 1, full) : item);
      }
      return object.toBuilder().put(key, out).build();
    }
    if (at == keys.length - 1) {
      if (value instanceof DataRecord) {
        return object; // already an object
      }
      if (!(value instanceof String)) {
        throw cannot(full);
      }
      DataRecord found = resolve(key, (String) value);
      if (found == null) {
        throw cannot(full);
      }
      return object.toBuilder().put(key, found).build();
    }
    DataRecord child;
    if (value instanceof String) {
      child = resolve(key, (String) value);
      if (child == null) {
        throw cannot(full);
      }
    } else if (value instanceof DataRecord) {
      child = (DataRecord) value;
    } else {
      throw cannot(full);
    }
    return object.toBuilder().put(key, expandPath(child, keys, at + 1, full)).build();
  }

  /** The object an id names: first by the field's usual resource, then by the id's prefix. */
  public DataRecord resolve(String field, String id) {
    String resource = Generator.LINKS.get(field);
    if (resource != null) {
      ResourceStore store = account.store(resource);
      DataRecord r = store == null ? null : store.get(id);
      if (r != null) {
        return r;
      }
    }
    for (ResourceStore store : account.stores().values()) {
      String prefix = store.shape().ids().prefix();
      if (!prefix.isEmpty() && id.startsWith(prefix)) {
        DataRecord r = store.get(id);
        if (r != null) {
          return r;
        }
      }
    }
    return null;
  }

  private static ApiError cannot(String path) {
    return ApiError.invalid(null, "This property cannot be expanded (" + path + ").", "expand");
  }
}
