package dev.sluice.xdm.mapping.internal;

import dev.sluice.xdm.mapping.MappingRule;
import dev.sluice.xdm.mapping.MappingSpecException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns mapping rules into a {@link CompiledMapping}, or lists every problem. */
public final class Compiler {
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_]+");
  private static final String[] PLACEHOLDERS = {"{TENANT_ID}", "{ORG_ID}"};

  private Compiler() {}

  /** Whether a destination holds a tenant placeholder. */
  public static boolean hasPlaceholder(String destination) {
    for (String p : PLACEHOLDERS) {
      if (destination.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the tenant placeholders in a destination. */
  public static String bindTenant(String destination, String tenantId) {
    String out = destination;
    for (String p : PLACEHOLDERS) {
      out = out.replace(p, tenantId);
    }
    return out;
  }

  /** Describes a rule for a problem message: its position (from 1) and its text. */
  public static String describe(int index, MappingRule rule) {
    return "mapping #" + (index + 1) + " (" + rule.source() + " -> " + rule.destination() + ")";
  }

  /**
   * Compiles the rules.
   *
   * @param checker the schema check to run on every output record, or {@code null}
   * @param destinationCheck checks each bound destination path, adding problems; may be null
   * @throws MappingSpecException listing every problem
   */
  public static CompiledMapping compile(
      List<MappingRule> rules,
      String tenantId,
      CompiledMapping.RecordChecker checker,
      DestinationCheck destinationCheck) {
    List<String> problems = new ArrayList<>();
    boolean tenantOk = tenantId != null && TENANT.matcher(tenantId).matches();
    if (tenantId != null && !tenantOk) {
      problems.add(
          "tenant id '" + tenantId + "' is not valid: use letters, digits and '_' only (no leading '_' needed)");
    }
    boolean tenantReported = false;
    List<CompiledRule> out = new ArrayList<>(rules.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      MappingRule rule = rules.get(i);
      String where = describe(i, rule);
      String dest = rule.destination();
      if (hasPlaceholder(dest)) {
        if (tenantId == null) {
          if (!tenantReported) {
            problems.add(where + ": the destination has a tenant placeholder but no tenant id was given");
            tenantReported = true;
          }
          continue;
        }
        dest = bindTenant(dest, tenantId);
      }
      Path destination = null;
      try {
        destination = Path.parse(dest);
        if (!destination.segments()[0].isName()) {
          problems.add(where + ": a destination must start with a field name");
          destination = null;
        }
      } catch (IllegalArgumentException e) {
        problems.add(where + ": bad destination path: " + e.getMessage());
      }
      if (destination != null) {
        Integer before = seen.putIfAbsent(destination.text(), i);
        if (before != null) {
          problems.add(
              where + ": destination '" + destination.text() + "' is already written by mapping #" + (before + 1));
        }
        if (destinationCheck != null) {
          destinationCheck.check(where, destination, problems);
        }
      }
      ValueSource source = compileSource(rule, where, problems);
      if (source != null && destination != null) {
        out.add(new CompiledRule(rule, source, destination));
      }
    }
    if (!problems.isEmpty()) {
      throw new MappingSpecException(problems);
    }
    return new CompiledMapping(out, checker);
  }

  private static ValueSource compileSource(MappingRule rule, String where, List<String> problems) {
    switch (rule.sourceType()) {
      case STATIC:
        return ValueSource.constant(rule.source());
      case ATTRIBUTE:
        try {
          Path path = parseSourcePath(rule.source());
          return ValueSource.attribute(path);
        } catch (IllegalArgumentException e) {
          problems.add(where + ": bad source path: " + e.getMessage());
          return null;
        }
      case EXPRESSION:
      default:
        return ExpressionCompiler.compile(rule.source(), where, problems);
    }
  }

  /**
   * Parses a source path and checks that it starts with {@code data}, the wrapper around the
   * source record.
   */
  public static Path parseSourcePath(String text) {
    Path path = Path.parse(text);
    Path.Segment first = path.segments()[0];
    if (!first.isName() || !first.name.equals("data")) {
      throw new IllegalArgumentException(
          "'" + text + "' must start with 'data.': the source record is read as {\"data\": record}");
    }
    return path;
  }

  /** Checks a bound destination against a target schema. */
  public interface DestinationCheck {
    /** Adds a problem for {@code destination} if the schema has no such field. */
    void check(String where, Path destination, List<String> problems);
  }
}
