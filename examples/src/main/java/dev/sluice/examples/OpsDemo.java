package dev.sluice.examples;

import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.StripeException;
import dev.sluice.stripe.ops.FlatView;
import dev.sluice.stripe.ops.StripeOperations;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the Stripe connector documents' examples through {@link StripeOperations}: list customers,
 * get one, create a PaymentIntent, update and delete a customer, and every action, printing each
 * answer in the connector's flat shape.
 *
 * <pre>
 * java -jar examples/target/sluice.jar ops [--api-key sk_test_…] [--api-base URL]
 * </pre>
 *
 * <p>Without a key (nor {@code STRIPE_API_KEY}) it starts the bundled Stripe emulator and runs
 * against it. It writes (creates, updates, deletes), so it refuses live keys.
 */
public final class OpsDemo {
  private static final String EMULATOR_KEY = "sk_test_sluice_ops_demo";

  private OpsDemo() {}

  /** Runs the demo and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err, System.getenv(), args));
  }

  /**
   * Runs the demo.
   *
   * @return 0 when every step worked, 1 when a step failed, 2 for a usage error
   */
  public static int run(PrintStream out, PrintStream err, Map<String, String> env, String[] args) {
    String apiKey = null;
    String apiBase = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        out.println("usage: sluice ops [--api-key sk_test_…] [--api-base URL]\n"
            + "Runs the Stripe connector's entity operations and actions; without a key, against the"
            + " bundled emulator.");
        return 0;
      }
      if ((arg.equals("--api-key") || arg.equals("--api-base")) && i + 1 < args.length) {
        if (arg.equals("--api-key")) {
          apiKey = args[++i];
        } else {
          apiBase = args[++i];
        }
        continue;
      }
      err.println("sluice ops: unknown option or missing value '" + arg + "' (see --help)");
      return 2;
    }
    if (apiKey == null && env.get("STRIPE_API_KEY") != null && !env.get("STRIPE_API_KEY").isBlank()) {
      apiKey = env.get("STRIPE_API_KEY").trim();
    }
    if (apiKey != null && apiKey.contains("_live_")) {
      err.println("sluice ops: the demo creates, changes and deletes objects; use a test-mode key, not a live one");
      return 2;
    }
    StripeEmulator emulator = null;
    try {
      if (apiKey == null) {
        emulator = StripeEmulator.builder().objectsPerResource(50).build().start();
        apiKey = EMULATOR_KEY;
        apiBase = emulator.baseUrl();
        err.println("No API key given: running against the bundled Stripe emulator at " + apiBase);
      }
      StripeConnection.Builder builder;
      try {
        builder = StripeConnection.builder().apiKey(apiKey);
        if (apiBase != null) {
          builder.apiBase(apiBase);
        }
      } catch (IllegalArgumentException e) {
        err.println("sluice ops: " + e.getMessage());
        return 2;
      }
      return new Demo(builder.build().operations(), out, err).run();
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  private static final class Demo {
    private final StripeOperations ops;
    private final PrintStream out;
    private final PrintStream err;
    private int failures;

    Demo(StripeOperations ops, PrintStream out, PrintStream err) {
      this.ops = ops;
      this.out = out;
      this.err = err;
    }

    int run() {
      List<DataRecord> customers = step("List Customer (first 3)", () -> ops.list("Customer").limit(3).toList(),
          list -> list.stream().map(FlatView::of).toList());
      String customerId = customers == null || customers.isEmpty() ? null : customers.get(0).getString("id");
      if (customerId != null) {
        step("Get Customer " + customerId, () -> ops.get("Customer", customerId), r -> List.of(FlatView.of(r)));
      }
      DataRecord pi = step("Create PaymentIntent {\"PaymentMethod\": \"pm_card_visa\", \"Currency\": \"usd\", \"Amount\": 1500.0}",
          () -> ops.create("PaymentIntent", Map.of("PaymentMethod", "pm_card_visa", "Currency", "usd",
              "Amount", new BigDecimal("1500.0"))), Demo::id);
      if (customerId != null) {
        step("Update Customer " + customerId + " {\"Name\": \"John\"}",
            () -> ops.update("Customer", customerId, Map.of("Name", "John")), Demo::id);
      }
      DataRecord doomed = step("Create Customer {\"Name\": \"Temporary\"}",
          () -> ops.create("Customer", Map.of("Name", "Temporary")), Demo::id);
      if (doomed != null) {
        step("Delete Customer " + doomed.getString("id"), () -> ops.delete("Customer", doomed.getString("id")),
            r -> List.of(FlatView.of(r)));
      }
      if (pi != null) {
        action("ConfirmPaymentIntent", Map.of("PaymentIntentId", pi.getString("id"), "ReturnUrl", "http://google.com/"));
      }
      DataRecord manual = quiet(() -> ops.create("PaymentIntent", Map.of("PaymentMethod", "pm_card_visa",
          "Currency", "usd", "Amount", 33000, "CaptureMethod", "manual")));
      if (manual != null && quiet(() -> ops.confirmPaymentIntent(manual.getString("id"), null, null)) != null) {
        action("CapturePaymentIntent", Map.of("PaymentIntentId", manual.getString("id")));
      }
      DataRecord other = quiet(() -> ops.create("PaymentIntent", Map.of("Currency", "usd", "Amount", 33000)));
      if (other != null) {
        action("CancelPaymentIntent", Map.of("PaymentIntentId", other.getString("id")));
      }
      DataRecord card = quiet(() -> ops.create("PaymentMethod", Map.of("Type", "card")));
      DataRecord owner = quiet(() -> ops.create("Customer", Map.of("Name", "Card Holder")));
      if (card != null && owner != null) {
        action("AttachPaymentMethodToCustomer",
            Map.of("PaymentMethodId", card.getString("id"), "CustomerId", owner.getString("id")));
        action("DetachPaymentMethodFromCustomer", Map.of("PaymentMethodId", card.getString("id")));
      }
      if (owner != null) {
        DataRecord invoice = quiet(() -> ops.create("Invoice", Map.of("Customer", owner.getString("id"))));
        if (invoice != null) {
          action("FinalizeInvoice", Map.of("InvoiceId", invoice.getString("id")));
        }
        DataRecord quote = quiet(() -> ops.create("Quote", Map.of("Customer", owner.getString("id"))));
        if (quote != null) {
          action("FinalizeQuote", Map.of("QuoteId", quote.getString("id")));
          action("AcceptQuote", Map.of("QuoteId", quote.getString("id")));
        }
        DataRecord draft = quiet(() -> ops.create("Quote", Map.of("Customer", owner.getString("id"))));
        if (draft != null) {
          action("CancelQuote", Map.of("QuoteId", draft.getString("id")));
        }
      }
      out.println(failures == 0 ? "All steps succeeded." : failures + " step(s) failed.");
      return failures == 0 ? 0 : 1;
    }

    private static List<Map<String, String>> id(DataRecord r) {
      return List.of(Map.of("Id", r.getString("id")));
    }

    private void action(String name, Map<String, String> inputs) {
      step(name + " " + json(List.of(inputs)), () -> ops.execute(name, inputs), r -> List.of(r.flat()));
    }

    private <T> T quiet(Supplier<T> call) {
      try {
        return call.get();
      } catch (StripeException | IllegalArgumentException e) {
        failures++;
        err.println("  failed: " + e.getMessage());
        return null;
      }
    }

    private <T> T step(String title, Supplier<T> call,
        java.util.function.Function<T, List<Map<String, String>>> view) {
      out.println("== " + title);
      try {
        T result = call.get();
        out.println(json(view.apply(result)));
        return result;
      } catch (StripeException | IllegalArgumentException | UnsupportedOperationException e) {
        failures++;
        out.println("  failed: " + e.getMessage());
        return null;
      }
    }

    private static String json(List<? extends Map<String, String>> rows) {
      StringBuilder sb = new StringBuilder("[");
      for (Map<String, String> row : rows) {
        DataRecord.Builder b = DataRecord.builder();
        row.forEach(b::put);
        sb.append(sb.length() > 1 ? ",\n " : "").append(b.build().toJson());
      }
      return sb.append(']').toString();
    }
  }
}
