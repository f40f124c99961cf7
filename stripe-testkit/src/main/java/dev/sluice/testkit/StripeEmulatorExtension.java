package dev.sluice.testkit;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives a test class a started {@link StripeEmulator}.
 *
 * <pre>{@code
 * class ChargesTest {
 *   @RegisterExtension
 *   static final StripeEmulatorExtension stripe =
 *       new StripeEmulatorExtension(StripeEmulator.builder().seed(42).objectsPerResource(1000));
 *
 *   @Test
 *   void listsCharges() {
 *     String apiBase = stripe.baseUrl();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>In a {@code static} field the emulator starts before the first test of the class and stops
 * after the last, so data written by one test is seen by the next; in an instance field each test
 * gets its own. Before each test the faults are cleared and the request log emptied. Test methods
 * may also take a {@link StripeEmulator} parameter.
 */
public final class StripeEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
  private final StripeEmulator.Builder builder;
  private volatile StripeEmulator emulator;
  private volatile boolean perClass;

  /** An extension with the emulator's defaults (seed 0, 250 objects per resource). */
  public StripeEmulatorExtension() {
    this(StripeEmulator.builder());
  }

  /** An extension whose emulators are built by this builder; the builder must not change after. */
  public StripeEmulatorExtension(StripeEmulator.Builder builder) {
    this.builder = Objects.requireNonNull(builder, "builder == null");
  }

  /**
   * The running emulator.
   *
   * @throws IllegalStateException outside a test of the class that registered the extension
   */
  public StripeEmulator emulator() {
    StripeEmulator e = emulator;
    if (e == null) {
      throw new IllegalStateException("The Stripe emulator runs only while the tests run");
    }
    return e;
  }

  /** The running emulator's base URL, {@code http://127.0.0.1:PORT}. */
  public String baseUrl() {
    return emulator().baseUrl();
  }

  /** Starts the emulator for the whole class (static field). */
  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    emulator = builder.build().start();
  }

  /** Stops the class's emulator. */
  @Override
  public void afterAll(ExtensionContext context) {
    perClass = false;
    close();
  }

  /** Starts a test's own emulator (instance field), or resets the class's faults and log. */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (emulator == null) {
      emulator = builder.build().start();
    } else {
      emulator.faults().clear();
      emulator.clearRequests();
    }
  }

  /** Stops a test's own emulator. */
  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }

  private void close() {
    StripeEmulator e = emulator;
    emulator = null;
    if (e != null) {
      e.close();
    }
  }

  /** Whether a test parameter is a {@link StripeEmulator}. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StripeEmulator.class;
  }

  /** The running emulator, for a test parameter. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return emulator();
  }
}
