package dev.sluice.xdm.testing;

import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.JsonValues;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingError;
import dev.sluice.xdm.mapping.MappingResult;
import dev.sluice.xdm.mapping.internal.Path;
import dev.sluice.xdm.mapping.internal.expr.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks what a {@link Mapping} makes of one Stripe object: the values at destination paths, fields
 * that must be null or absent, and that no error or warning was raised. {@link #verify()} throws one
 * {@link AssertionError} listing every mismatch, with the mapped record.
 *
 * <pre>{@code
 * @Test
 * void chargeAmountsAreDecimal() {
 *   MappingExpectation.of(mySet.compile("acme"))
 *       .given("{\"id\":\"ch_1\",\"amount\":1099,\"currency\":\"usd\",\"customer\":null}")
 *       .expect("_acme.charges.id", "ch_1")
 *       .expect("_acme.charges.amount", new BigDecimal("10.99"))
 *       .expectNull("_acme.charges.customer")
 *       .expectAbsent("_acme.charges.invoice")
 *       .verify();
 * }
 * }</pre>
 *
 * <p>Numbers compare by value ({@code 1099}, {@code 1099L} and {@code new BigDecimal("1099.0")} are
 * equal); other values with {@code equals}, after Java values are turned into record values as
 * {@link DataRecord.Builder#put} does. Paths use the mapping syntax ({@code a.b[0].c}, {@code
 * ${Odd Name}}). By default any error or warning fails the check; {@link #allowWarnings()} relaxes
 * that and {@link #expectError} names the ones you expect. Not thread-safe; one per test.
 */
public final class MappingExpectation {
  private final Mapping mapping;
  private DataRecord input;
  private final List<Object[]> expectations = new ArrayList<>();
  private final List<String> expectedErrors = new ArrayList<>();
  private boolean allowWarnings;
  private boolean expectRejected;

  private static final Object NULL = new Object();

  private MappingExpectation(Mapping mapping) {
    this.mapping = Objects.requireNonNull(mapping, "mapping == null");
  }

  /** Starts a check of a compiled mapping. */
  public static MappingExpectation of(Mapping mapping) {
    return new MappingExpectation(mapping);
  }

  /** Sets the Stripe object to map, as JSON text. */
  public MappingExpectation given(String stripeObjectJson) {
    return given(DataRecord.fromJson(stripeObjectJson));
  }

  /** Sets the Stripe object to map. */
  public MappingExpectation given(DataRecord stripeObject) {
    this.input = Objects.requireNonNull(stripeObject, "stripeObject == null");
    return this;
  }

  /** Expects a value at a destination path; {@code null} means JSON null (present). */
  public MappingExpectation expect(String destinationPath, Object value) {
    Object normalized =
        value == null ? NULL : DataRecord.builder().put("v", value).build().get("v");
    expectations.add(new Object[] {Path.parse(destinationPath), normalized, destinationPath});
    return this;
  }

  /** Expects the destination to be present and JSON null. */
  public MappingExpectation expectNull(String destinationPath) {
    return expect(destinationPath, null);
  }

  /** Expects the destination to be absent. */
  public MappingExpectation expectAbsent(String destinationPath) {
    expectations.add(new Object[] {Path.parse(destinationPath), Path.ABSENT, destinationPath});
    return this;
  }

  /** Expects an error or warning with this code at this destination (and allows it). */
  public MappingExpectation expectError(String code, String destinationPath) {
    expectedErrors.add(code + " at " + destinationPath);
    return this;
  }

  /** Lets warnings (errors that do not reject the record) pass unmentioned. */
  public MappingExpectation allowWarnings() {
    this.allowWarnings = true;
    return this;
  }

  /** Expects the record to be rejected. */
  public MappingExpectation expectRejected() {
    this.expectRejected = true;
    return this;
  }

  /**
   * Maps the input and checks every expectation.
   *
   * @return the mapping's result, for further checks
   * @throws AssertionError listing every mismatch
   * @throws IllegalStateException if no input was given
   */
  public MappingResult verify() {
    if (input == null) {
      throw new IllegalStateException("call given(...) with the Stripe object to map first");
    }
    MappingResult result = mapping.apply(input);
    List<String> failures = new ArrayList<>();
    List<String> unmatched = new ArrayList<>(expectedErrors);
    for (MappingError e : result.errors()) {
      String key = e.code() + " at " + e.destinationPath();
      if (!unmatched.remove(key) && (e.rejectsRecord() ? !expectRejected : !allowWarnings)) {
        failures.add("unexpected " + (e.rejectsRecord() ? "error" : "warning") + ": " + e);
      }
    }
    for (String missing : unmatched) {
      failures.add("expected " + missing + " but there was none");
    }
    if (expectRejected != result.isRejected()) {
      failures.add(expectRejected ? "expected the record to be rejected, but it was mapped" : "the record was rejected");
    }
    if (result.record() != null) {
      for (Object[] x : expectations) {
        Path path = (Path) x[0];
        Object actual = Path.read(result.record(), path.segments(), 0);
        if (x[1] == Path.ABSENT) {
          if (actual != Path.ABSENT) {
            failures.add(x[2] + ": expected absent but was " + show(actual));
          }
          continue;
        }
        Object expected = x[1] == NULL ? null : x[1];
        if (actual == Path.ABSENT) {
          failures.add(x[2] + ": expected " + show(expected) + " but it is absent");
        } else if (!Values.same(expected, actual)) {
          failures.add(x[2] + ": expected " + show(expected) + " but was " + show(actual));
        }
      }
    }
    if (!failures.isEmpty()) {
      StringBuilder m = new StringBuilder("Mapping did not give what was expected:");
      for (String f : failures) {
        m.append("\n  - ").append(f);
      }
      m.append("\nmapped record: ").append(result.record() == null ? "(rejected)" : result.record().toJson());
      throw new AssertionError(m.toString());
    }
    return result;
  }

  private static String show(Object v) {
    return v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : JsonValues.toJson(v);
  }
}
