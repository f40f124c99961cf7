package dev.sluice.examples;

import dev.sluice.core.Flow;
import dev.sluice.core.FlowListener;
import dev.sluice.core.FlowRun;
import dev.sluice.core.SchemaChange;
import dev.sluice.core.Sink;
import dev.sluice.core.Sinks;
import dev.sluice.core.StateStore;
import dev.sluice.core.StateStores;
import dev.sluice.sink.parquet.ParquetSink;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job, packaged as {@code examples/target/sluice.jar}:
 *
 * <pre>
 * java -jar examples/target/sluice.jar sync [--api-key KEY] [--api-base URL]
 *      [--resources charges,customers,…] [--mapping RESOURCE=FILE]… [--tenant ID] [--out DIR]
 *      [--format jsonl|parquet] [--full-refresh] [--emulator-objects N]
 * java -jar examples/target/sluice.jar ops [--api-key KEY] [--api-base URL]
 * </pre>
 *
 * <p>Without {@code --api-key} (and without {@code STRIPE_API_KEY} in the environment) it starts
 * the bundled Stripe emulator with its demo data and syncs from it. Each resource lands in {@code
 * OUT/<resource>/*.jsonl}; the job's checkpoints live under {@code OUT/.sluice/}, so a second run
 * reads only what is new. Exit status 0 when every resource synced, 1 when one failed, 2 for bad
 * command-line arguments.
 */
public final class SluiceMain {
  static final String EMULATOR_KEY = "sk_test_sluice_emulator";
  static final int EMULATOR_OBJECTS = 1_000;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  SluiceMain(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** Runs the job and exits with its status. */
  public static void main(String[] args) {
    System.exit(new SluiceMain(System.out, System.err, System.getenv()).run(args));
  }

  /** Runs the job; returns the exit status instead of exiting. */
  int run(String[] args) {
    if (args.length > 0 && args[0].equals("ops")) {
      return OpsDemo.run(out, err, env, Arrays.copyOfRange(args, 1, args.length));
    }
    SyncOptions options;
    try {
      options = SyncOptions.parse(args, env);
    } catch (UsageException e) {
      err.println("sluice: " + e.getMessage());
      err.println(SyncOptions.USAGE);
      return 2;
    }
    if (options.help) {
      out.println(SyncOptions.USAGE);
      return 0;
    }
    try {
      return sync(options);
    } catch (UsageException e) {
      err.println("sluice: " + e.getMessage());
      return 2;
    }
  }

  private int sync(SyncOptions options) {
    Map<String, Mapping> mappings = loadMappings(options);
    StripeEmulator emulator = null;
    try {
      String apiKey = options.apiKey;
      String apiBase = options.apiBase;
      if (apiKey == null) {
        emulator = StripeEmulator.builder().objectsPerResource(options.emulatorObjects).build().start();
        apiKey = EMULATOR_KEY;
        apiBase = emulator.baseUrl();
        err.println("No API key given: syncing the demo data of the bundled Stripe emulator at " + apiBase);
      }
      StripeConnection.Builder connection = StripeConnection.builder().apiKey(apiKey);
      if (emulator != null) {
        // Stripe's rate limits protect Stripe; the bundled emulator runs on this machine.
        connection.throttle(Throttle.none());
      }
      if (apiBase != null) {
        connection.apiBase(apiBase);
      }
      StripeConnection stripe = connection.build();
      return syncAll(stripe, options, mappings);
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  private int syncAll(StripeConnection stripe, SyncOptions options, Map<String, Mapping> mappings) {
    Path stateDir = options.out.resolve(".sluice");
    StateStore state = StateStores.directory(stateDir.resolve("state"));
    List<FlowRun> runs = new ArrayList<>();
    String fatal = null;
    try (Sink sink = options.parquet ? ParquetSink.builder().root(options.out).build() : Sinks.jsonLines(options.out)) {
      for (String resource : options.resources) {
        if (fatal != null) {
          break;
        }
        Flow flow =
            stripe
                .source(resource)
                .mapping(mappings.getOrDefault(resource, Mapping.identity()))
                .into(sink)
                .stateStore(state)
                .listener(new Progress(err))
                .build();
        FlowRun run = options.fullRefresh ? flow.runFullRefresh() : flow.runOnce();
        if (run.succeeded() && sink instanceof ParquetSink parquet) {
          parquet.compact(resource);
        }
        runs.add(run);
        appendRunLog(stateDir, run);
        if (!run.succeeded()) {
          err.println(resource + ": failed: " + run.failureMessage());
          String code = run.errors().isEmpty() ? "" : run.errors().get(0).code();
          if (code.equals("STRIPE_AUTHENTICATION") || code.equals("STRIPE_UNREACHABLE")) {
            fatal = run.failureMessage();
          }
        }
      }
    }
    printSummary(runs, options);
    long failed = runs.stream().filter(r -> !r.succeeded()).count();
    if (fatal != null) {
      err.println("sluice: " + fatal);
      return 1;
    }
    if (failed > 0) {
      err.println("sluice: " + failed + " of " + runs.size() + " resources failed: "
          + runs.stream().filter(r -> !r.succeeded()).findFirst().map(FlowRun::failureMessage).orElse(""));
      return 1;
    }
    return 0;
  }

  private Map<String, Mapping> loadMappings(SyncOptions options) {
    Map<String, Mapping> mappings = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : options.mappings.entrySet()) {
      String text;
      try {
        text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
      } catch (IOException ex) {
        throw new UsageException("cannot read the mapping file " + e.getValue() + " for " + e.getKey()
            + ": " + ex.getMessage());
      }
      try {
        MappingSet set = MappingSet.fromJson(text);
        if (options.tenant == null && text.matches("(?s).*\\{(ORG_ID|TENANT_ID)}.*")) {
          throw new UsageException("the mapping file " + e.getValue()
              + " uses the tenant placeholder {ORG_ID}: give the tenant with --tenant ID");
        }
        mappings.put(e.getKey(), set.compile(options.tenant));
      } catch (UsageException ex) {
        throw ex;
      } catch (RuntimeException ex) {
        throw new UsageException("the mapping file " + e.getValue() + " is not a valid mapping set: "
            + ex.getMessage());
      }
    }
    return mappings;
  }

  private void appendRunLog(Path stateDir, FlowRun run) {
    DataRecord line =
        DataRecord.builder()
            .put("run_id", run.runId())
            .put("flow_id", run.flowId())
            .put("status", run.status().name().toLowerCase(Locale.ROOT))
            .put("started_at", run.startedAt().toString())
            .put("ended_at", run.endedAt().toString())
            .put("records_read", run.recordsRead())
            .put("records_written", run.recordsWritten())
            .put("records_failed", run.recordsFailed())
            .put("pages", run.pages())
            .put("requests", run.requests())
            .put("error", run.failureMessage())
            .build();
    try {
      Files.createDirectories(stateDir);
      Files.writeString(stateDir.resolve("runs.jsonl"), line.toJson() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      err.println("sluice: warning: cannot append to the run log in " + stateDir + ": " + e.getMessage());
    }
  }

  /** Prints the summary table, then what changed in the data's shape and API version. */
  void printSummary(List<FlowRun> runs, SyncOptions options) {
    String format = "%-22s %10s %10s %8s %7s %9s %10s  %s%n";
    out.printf(format, "resource", "read", "written", "failed", "pages", "seconds", "records/s", "status");
    for (FlowRun run : runs) {
      double seconds = run.duration().toNanos() / 1e9;
      out.printf(Locale.ROOT, format, run.dataset(), run.recordsRead(), run.recordsWritten(),
          run.recordsFailed(), run.pages(), String.format(Locale.ROOT, "%.2f", seconds),
          String.format(Locale.ROOT, "%.0f", seconds > 0 ? run.recordsRead() / seconds : 0),
          run.status().name().toLowerCase(Locale.ROOT));
    }
    printDrift(runs);
    String root = options.out.toAbsolutePath().normalize().toString();
    out.println("Data is in " + root + (options.parquet
        ? "/<resource>/ (Parquet: changes under ingest_date=*/, the current snapshot under current/)"
        : "/<resource>/*.jsonl") + "; checkpoints and the run log in " + root + "/.sluice");
    if (options.parquet && !runs.isEmpty()) {
      out.println("Read it with DuckDB: SELECT * FROM read_parquet('" + root + "/" + runs.get(0).dataset()
          + "/current/*.parquet');");
    }
  }

  /** One line per new field, per field whose type changed, and per API version change. */
  private void printDrift(List<FlowRun> runs) {
    for (FlowRun run : runs) {
      if (run.apiVersionChanged()) {
        out.println(run.dataset() + ": Stripe API version changed from " + run.apiVersionBefore()
            + " to " + run.apiVersion());
      }
      for (SchemaChange change : run.schemaChanges()) {
        if (change.isNewField()) {
          out.println(run.dataset() + ": new field " + change.field() + " (" + change.to() + ")");
        } else {
          out.println(run.dataset() + ": field " + change.field() + " changed type from "
              + change.from() + " to " + change.to());
        }
      }
    }
  }

  /** Prints progress per resource, at most about once a second. */
  private static final class Progress implements FlowListener {
    private final PrintStream err;
    private long lastPrint;

    Progress(PrintStream err) {
      this.err = err;
    }

    @Override
    public void runStarted(Flow flow, String runId) {
      err.println(flow.id() + ": syncing…");
      lastPrint = System.nanoTime();
    }

    @Override
    public void progress(Flow flow, String runId, long recordsRead, long recordsWritten) {
      long now = System.nanoTime();
      if (now - lastPrint > 1_000_000_000L) {
        err.println(flow.id() + ": " + recordsRead + " read, " + recordsWritten + " written");
        lastPrint = now;
      }
    }

    @Override
    public void runEnded(Flow flow, FlowRun run) {
      err.println(flow.id() + ": " + run.status().name().toLowerCase(Locale.ROOT) + ", "
          + run.recordsWritten() + " written");
    }
  }

  /** A command-line mistake; the message says what to change. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed arguments of {@code sync}. */
  static final class SyncOptions {
    static final String USAGE =
        "usage: java -jar sluice.jar sync [--api-key KEY] [--api-base URL]\n"
            + "           [--resources charges,customers,...] [--mapping RESOURCE=FILE]... [--tenant ID] [--out DIR]\n"
            + "           [--format jsonl|parquet] [--full-refresh] [--emulator-objects N]\n"
            + "       java -jar sluice.jar ops [--api-key KEY] [--api-base URL]   (the entity operations and actions demo)\n"
            + "  --api-key KEY      a Stripe secret or restricted key (default: $STRIPE_API_KEY;\n"
            + "                     without one, the bundled Stripe emulator's demo data is synced)\n"
            + "  --api-base URL     the API base (default https://api.stripe.com; e.g. stripe-mock)\n"
            + "  --resources LIST   comma-separated resources (default: " + String.join(",", StripeCatalog.DOCUMENTED_RESOURCES) + ")\n"
            + "  --mapping R=FILE   map resource R with an AEP mapping set JSON file (repeatable);\n"
            + "                     resources without one are written as the Stripe object itself\n"
            + "  --tenant ID        the tenant id bound to {ORG_ID}/{TENANT_ID} in mapping sets\n"
            + "  --out DIR          where the data goes (default ./sluice-data)\n"
            + "  --format F         jsonl (default) or parquet\n"
            + "  --full-refresh     re-read every resource from scratch and delete what Stripe no longer has\n"
            + "  --emulator-objects N  objects per resource in the bundled emulator (no key given; default "
            + EMULATOR_OBJECTS + ")";

    String apiKey;
    String apiBase;
    List<String> resources = new ArrayList<>(StripeCatalog.DOCUMENTED_RESOURCES);
    Map<String, Path> mappings = new LinkedHashMap<>();
    String tenant;
    Path out = Path.of("sluice-data");
    boolean parquet;
    boolean fullRefresh;
    int emulatorObjects = EMULATOR_OBJECTS;
    boolean help;

    static SyncOptions parse(String[] args, Map<String, String> env) {
      SyncOptions o = new SyncOptions();
      if (args.length == 0) {
        throw new UsageException("missing command: the command is 'sync'");
      }
      if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
        o.help = true;
        return o;
      }
      if (!args[0].equals("sync")) {
        throw new UsageException("unknown command '" + args[0] + "': the command is 'sync'");
      }
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          value = arg.substring(eq + 1);
          arg = arg.substring(0, eq);
        }
        if (arg.equals("--help") || arg.equals("-h")) {
          o.help = true;
          continue;
        }
        if (arg.equals("--full-refresh") && value == null) {
          o.fullRefresh = true;
          continue;
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException(arg + " needs a value");
          }
          value = args[++i];
        }
        switch (arg) {
          case "--api-key":
            o.apiKey = value;
            break;
          case "--api-base":
            o.apiBase = value;
            break;
          case "--resources":
            o.resources = new ArrayList<>();
            for (String r : value.split(",")) {
              String name = r.trim();
              if (StripeCatalog.find(name).isEmpty()) {
                throw new UsageException("unknown resource '" + name + "' in --resources; known: "
                    + String.join(", ", StripeCatalog.all().stream().map(StripeResource::name).toList()));
              }
              if (!o.resources.contains(name)) {
                o.resources.add(name);
              }
            }
            break;
          case "--mapping":
            int sep = value.indexOf('=');
            if (sep <= 0 || sep == value.length() - 1) {
              throw new UsageException("--mapping takes RESOURCE=FILE, got '" + value + "'");
            }
            o.mappings.put(value.substring(0, sep), Path.of(value.substring(sep + 1)));
            break;
          case "--tenant":
            o.tenant = value;
            break;
          case "--out":
            o.out = Path.of(value);
            break;
          case "--emulator-objects":
            try {
              o.emulatorObjects = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              throw new UsageException("--emulator-objects takes a whole number, got '" + value + "'");
            }
            if (o.emulatorObjects < 1) {
              throw new UsageException("--emulator-objects must be at least 1, got " + value);
            }
            break;
          case "--format":
            if (!value.equals("jsonl") && !value.equals("parquet")) {
              throw new UsageException("--format takes jsonl or parquet, got '" + value + "'");
            }
            o.parquet = value.equals("parquet");
            break;
          default:
            throw new UsageException("unknown option '" + arg + "'");
        }
      }
      if (o.apiKey == null) {
        String fromEnv = env.get("STRIPE_API_KEY");
        o.apiKey = fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
      }
      if (o.apiKey != null && !o.apiKey.matches("(sk|rk)_(test|live)_[A-Za-z0-9_]+")) {
        throw new UsageException("the API key is not a Stripe secret key (sk_test_…, sk_live_…) or restricted key (rk_…)");
      }
      for (String r : o.mappings.keySet()) {
        if (!o.resources.contains(r)) {
          throw new UsageException("--mapping names '" + r + "', which is not among the resources synced ("
              + String.join(",", o.resources) + ")");
        }
      }
      return o;
    }
  }
}
