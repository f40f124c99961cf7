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
    Analysis a = analyze(rules, tenantId, destinationCheck);
    if (!a.problems.isEmpty()) {
      throw new MappingSpecException(a.problems);
    }
    return new CompiledMapping(a.compiled, checker);
  }

  /** What compiling found: every problem, the problems of each rule, the compiled rules. */
  public static final class Analysis {
    /** Every problem, in order, as {@link MappingSpecException} lists them. */
    public final List<String> problems = new ArrayList<>();
    /** Problems that belong to no single rule (the tenant id). */
    public final List<String> global = new ArrayList<>();
    /** The problems of each rule, by index. */
    public final List<List<String>> perRule = new ArrayList<>();
    final List<CompiledRule> compiled = new ArrayList<>();
  }

  /** Checks and compiles every rule, collecting all problems. */
  public static Analysis analyze(List<MappingRule> rules, String tenantId, DestinationCheck destinationCheck) {
    Analysis a = new Analysis();
    List<String> problems = a.problems;
    boolean tenantOk = tenantId != null && TENANT.matcher(tenantId).matches();
    if (tenantId != null && !tenantOk) {
      String p = "tenant id '" + tenantId + "' is not valid: use letters, digits and '_' only (no leading '_' needed)";
      problems.add(p);
      a.global.add(p);
    }
    boolean tenantReported = false;
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      MappingRule rule = rules.get(i);
      String where = describe(i, rule);
      List<String> mine = new ArrayList<>();
      a.perRule.add(mine);
      int before = problems.size();
      String dest = rule.destination();
      Path destination = null;
      boolean skipDestination = false;
      if (hasPlaceholder(dest)) {
        if (tenantId == null) {
          String p = where + ": the destination has a tenant placeholder but no tenant id was given";
          if (!tenantReported) {
            problems.add(p);
            tenantReported = true;
            before = problems.size();
          }
          mine.add(p);
          skipDestination = true;
        } else {
          dest = bindTenant(dest, tenantId);
        }
      }
      if (!skipDestination) {
        try {
          destination = Path.parse(dest);
          if (!destination.segments()[0].isName()) {
            problems.add(where + ": a destination must start with a field name");
            destination = null;
          }
        } catch (IllegalArgumentException e) {
          problems.add(where + ": bad destination path: " + e.getMessage());
        }
      }
      if (destination != null) {
        // one place may be spelled several ways (x, ${x}, \\x): compare one spelling
        Integer first = seen.putIfAbsent(destination.canonicalText(), i);
        if (first != null) {
          problems.add(
              where + ": destination '" + destination.text() + "' is already written by mapping #" + (first + 1));
        }
        if (destinationCheck != null) {
          destinationCheck.check(where, destination, problems);
        }
      }
      ValueSource source = compileSource(rule, where, problems);
      mine.addAll(problems.subList(before, problems.size()));
      if (source != null && destination != null) {
        a.compiled.add(new CompiledRule(rule, source, destination));
      }
    }
    return a;
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
