package dev.sluice.examples;

import dev.sluice.core.Flow;
import dev.sluice.core.FlowListener;
import dev.sluice.core.FlowRun;
import dev.sluice.core.RunControl;
import dev.sluice.core.RunStatus;
import dev.sluice.core.SchemaChange;
import dev.sluice.core.Sink;
import dev.sluice.core.Sinks;
import dev.sluice.core.StateStore;
import dev.sluice.core.StateStores;
import dev.sluice.examples.CommandLine.Options;
import dev.sluice.examples.CommandLine.UsageException;
import dev.sluice.sink.parquet.ParquetSink;
import dev.sluice.stripe.SourceConnection;
import dev.sluice.stripe.StripeConnection;
import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.stripe.http.ConnectionCheck;
import dev.sluice.stripe.http.ProxySettings;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import dev.sluice.xdm.mapping.Mapping;
import dev.sluice.xdm.mapping.MappingSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The main job, packaged as {@code examples/target/sluice.jar}: {@code sync}, {@code check},
 * {@code resources}, {@code state show|reset}, {@code version} and {@code ops}; {@code --help}
 * lists every flag and exit status.
 *
 * <p>Without any key ({@code --api-key} not given and {@code STRIPE_API_KEY} not set) it starts the
 * bundled Stripe emulator with its demo data and says so first. Each resource lands in {@code
 * OUT/<resource>/}; what the directory knows about itself (its source, its lock, the run log, the
 * checkpoints' mirror) is under {@code OUT/.sluice/}, so a second run reads only what is new, a
 * second concurrent run is refused, and data of another Stripe source is never mixed in. Ctrl-C
 * stops at the next page, keeps what was read, and exits 130.
 */
public final class SluiceMain {
  static final String EMULATOR_KEY = "sk_test_sluice_emulator";
  static final String EMULATOR_BASE = "bundled-emulator";

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final boolean terminal;
  private final Duration progressInterval;
  private volatile RunControl current;
  private volatile boolean cancelled;

  SluiceMain(PrintStream out, PrintStream err, Map<String, String> env) {
    this(out, err, env, false, Duration.ofSeconds(2));
  }

  SluiceMain(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal,
      Duration progressInterval) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.terminal = terminal;
    this.progressInterval = progressInterval;
  }

  /** Runs the job and exits with its status; Ctrl-C stops it cleanly with status 130. */
  public static void main(String[] args) {
    configureLogging(args);
    SluiceMain job = new SluiceMain(System.out, System.err, System.getenv(),
        System.console() != null, Duration.ofSeconds(2));
    AtomicBoolean shuttingDown = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      shuttingDown.set(true);
      job.cancel();
      try {
        done.await(60, TimeUnit.SECONDS); // the run commits its batch and records itself
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sluice-ctrl-c");
    Runtime.getRuntime().addShutdownHook(hook);
    int status;
    try {
      status = job.run(args);
    } finally {
      done.countDown();
    }
    if (!shuttingDown.get()) {
      System.exit(status);
    }
  }

  /**
   * Sets up slf4j-simple (the jar's logger) before the first logger exists: the library's own
   * lines by {@code --verbosity}, Parquet's and Hadoop's INFO chatter only from verbosity 4.
   */
  private static void configureLogging(String[] args) {
    int verbosity = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = a.startsWith("--verbosity=") ? a.substring(12)
          : a.equals("--verbosity") && i + 1 < args.length ? args[i + 1] : null;
      if (v != null) {
        try {
          verbosity = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
          // the command line check reports it
        }
      }
    }
    String p = "org.slf4j.simpleLogger.";
    System.setProperty(p + "logFile", "System.err");
    System.setProperty(p + "showThreadName", "false");
    System.setProperty(p + "showLogName", verbosity >= 3 ? "true" : "false");
    System.setProperty(p + "defaultLogLevel", verbosity >= 3 ? "info" : "warn");
    // Failures reach the user once, as the job's own line: the transport's copy stays out.
    System.setProperty(p + "log.dev.sluice.stripe.http",
        verbosity <= 1 ? "off" : verbosity == 2 ? "warn" : verbosity == 3 ? "info" : "trace");
    String thirdParty = verbosity >= 4 ? "info" : "error";
    System.setProperty(p + "log.org.apache.parquet", thirdParty);
    System.setProperty(p + "log.org.apache.hadoop", thirdParty);
  }

  /** Stops the sync under way at its next page (what it read is kept); what Ctrl-C calls. */
  void cancel() {
    cancelled = true;
    RunControl control = current;
    if (control != null) {
      control.cancel();
    }
  }

  /** Runs the job; returns the exit status instead of exiting. */
  int run(String[] args) {
    if (args.length > 0 && args[0].equals("ops")) {
      return OpsDemo.run(out, err, env, Arrays.copyOfRange(args, 1, args.length));
    }
    Options options;
    try {
      options = CommandLine.parse(args, env);
    } catch (UsageException e) {
      err.println("sluice: " + e.getMessage());
      return CommandLine.USAGE;
    }
    if (options.help) {
      out.println(CommandLine.HELP);
      return CommandLine.OK;
    }
    try {
      return switch (options.command) {
        case "sync" -> sync(options);
        case "check" -> check(options);
        case "resources" -> resources();
        case "state" -> state(options);
        default -> version();
      };
    } catch (UsageException e) {
      err.println("sluice: " + e.getMessage());
      return CommandLine.USAGE;
    }
  }

  // ------------------------------------------------------------------------------------ sync

  private int sync(Options options) {
    Map<String, Mapping> mappings = loadMappings(options);
    try (OutputDirectory dir = OutputDirectory.open(options.out)) {
      if (options.demo) {
        err.println("No API key given: syncing the demo data of the bundled Stripe emulator"
            + " (set STRIPE_API_KEY or pass --api-key to sync your account)");
      }
      try (Source source = Source.open(options, err)) {
        dir.claim(source.identity(), options.fullRefresh);
        String runId = UUID.randomUUID().toString();
        String interrupted = dir.begin(runId, Instant.now());
        if (interrupted != null) {
          err.println("sluice: the previous sync in " + options.out + " was interrupted; it is"
              + " recorded in the run log, and this one goes on from its checkpoints");
        }
        Outcome outcome = syncAll(source.connection(), options, mappings, dir);
        dir.end();
        return outcome.status();
      }
    }
  }

  /** What the resources' runs came to. */
  private record Outcome(List<FlowRun> runs, int status) {}

  private Outcome syncAll(StripeConnection stripe, Options options, Map<String, Mapping> mappings,
      OutputDirectory dir) {
    List<FlowRun> runs = new ArrayList<>();
    String fatal = null;
    StateStore state = StateStores.directory(dir.stateDir());
    try (Progress progress = options.quiet || options.json ? null
            : new Progress(err, terminal, progressInterval);
        Sink sink = options.parquet ? ParquetSink.builder().root(options.out).build()
            : Sinks.jsonLines(options.out)) {
      for (String resource : options.resources) {
        if (fatal != null || cancelled) {
          break;
        }
        SourceConnection source = stripe.source(resource);
        if (options.parallelism != null) {
          source = source.withParallelism(options.parallelism);
        }
        Flow flow = source.mapping(mappings.getOrDefault(resource, Mapping.identity()))
            .into(sink)
            .stateStore(progress == null ? state : progress.observing(state))
            .listener(progress == null ? FlowListener.NONE : progress)
            .batchSize(options.batchSize)
            .build();
        RunControl control = new RunControl();
        current = control;
        if (cancelled) {
          control.cancel();
        }
        FlowRun run = options.fullRefresh ? flow.runFullRefresh(control) : flow.runOnce(control);
        current = null;
        if (run.succeeded() && sink instanceof ParquetSink parquet) {
          parquet.compact(resource);
        }
        runs.add(run);
        dir.appendRunLog(run);
        if (run.status() == RunStatus.FAILED) {
          String code = run.errors().isEmpty() ? "" : run.errors().get(0).code();
          if (code.equals("STRIPE_AUTHENTICATION") || code.equals("STRIPE_UNREACHABLE")) {
            fatal = run.failureMessage();
          } else {
            err.println("sluice: " + resource + " failed: " + run.failureMessage());
          }
        }
      }
    }
    if (options.json) {
      out.println(jsonSummary(runs, options, fatal));
    } else if (!options.quiet) {
      printSummary(runs, options);
    }
    if (fatal != null) {
      err.println("sluice: " + fatal);
      return new Outcome(runs, CommandLine.FAILED);
    }
    if (cancelled) {
      err.println("sluice: stopped; what was read is kept, and the next sync goes on from there");
      return new Outcome(runs, CommandLine.INTERRUPTED);
    }
    List<String> failed = runs.stream().filter(r -> r.status() == RunStatus.FAILED)
        .map(FlowRun::dataset).toList();
    if (!failed.isEmpty()) {
      err.println("sluice: " + failed.size() + " of " + runs.size() + " resources failed ("
          + String.join(", ", failed) + "); the others synced");
      return new Outcome(runs, CommandLine.FAILED);
    }
    return new Outcome(runs, CommandLine.OK);
  }

  private Map<String, Mapping> loadMappings(Options options) {
    Map<String, Mapping> mappings = new LinkedHashMap<>();
    for (Map.Entry<String, Path> e : options.mappings.entrySet()) {
      String text;
      try {
        text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
      } catch (IOException ex) {
        throw new UsageException("cannot read the mapping file " + e.getValue() + " for "
            + e.getKey() + ": " + ex.getMessage());
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
        throw new UsageException("the mapping file " + e.getValue()
            + " is not a valid mapping set: " + ex.getMessage());
      }
    }
    return mappings;
  }

  /** Prints the summary table, then what changed in the data's shape and API version. */
  void printSummary(List<FlowRun> runs, Options options) {
    String format = "%-22s %10s %10s %8s %7s %9s %10s  %s%n";
    out.printf(format, "resource", "read", "written", "failed", "pages", "seconds", "records/s",
        "status");
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
      out.println("Read it with DuckDB: SELECT * FROM read_parquet('" + root + "/"
          + runs.get(0).dataset() + "/current/*.parquet');");
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

  private static String jsonSummary(List<FlowRun> runs, Options options, String fatal) {
    List<Object> list = new ArrayList<>();
    for (FlowRun run : runs) {
      list.add(DataRecord.builder()
          .put("resource", run.dataset())
          .put("status", run.status().name().toLowerCase(Locale.ROOT))
          .put("records_read", run.recordsRead())
          .put("records_written", run.recordsWritten())
          .put("records_failed", run.recordsFailed())
          .put("records_deleted", run.recordsDeleted())
          .put("pages", run.pages())
          .put("requests", run.requests())
          .put("seconds", java.math.BigDecimal.valueOf(run.duration().toMillis(), 3))
          .put("full_refresh", run.fullRefresh())
          .put("api_version", run.apiVersion())
          .put("api_version_before", run.apiVersionChanged() ? run.apiVersionBefore() : null)
          .put("schema_changes", schemaChanges(run))
          .put("error", run.failureMessage())
          .build());
    }
    boolean allGood = fatal == null && runs.stream().allMatch(FlowRun::succeeded);
    return DataRecord.builder()
        .put("status", allGood ? "success" : "failed")
        .put("out", options.out.toAbsolutePath().normalize().toString())
        .put("format", options.parquet ? "parquet" : "jsonl")
        .put("error", fatal)
        .put("resources", list)
        .build().toJson();
  }

  private static List<Object> schemaChanges(FlowRun run) {
    List<Object> changes = new ArrayList<>();
    for (SchemaChange c : run.schemaChanges()) {
      changes.add(DataRecord.builder().put("field", c.field()).put("from", c.from())
          .put("to", c.to()).build());
    }
    return changes;
  }

  // ----------------------------------------------------------------------------------- check

  private int check(Options options) {
    if (options.demo) {
      err.println("No API key given: checking the bundled Stripe emulator");
    }
    try (Source source = Source.open(options, err)) {
      ConnectionCheck check = source.connection().test();
      if (!check.keyWorks()) {
        err.println("sluice: " + check.problem());
        return CommandLine.FAILED;
      }
      if (options.json) {
        out.println(DataRecord.builder()
            .put("key_works", true)
            .put("mode", check.mode())
            .put("restricted_key", check.restrictedKey())
            .put("api_version", check.apiVersion())
            .put("readable", new ArrayList<Object>(check.readable()))
            .put("forbidden", new ArrayList<Object>(check.forbidden()))
            .build().toJson());
        return CommandLine.OK;
      }
      out.println("The key works: " + check.mode() + " mode, "
          + (check.restrictedKey() ? "a restricted key" : "a secret key") + ", at "
          + source.identity().apiBase() + "; API version "
          + (check.apiVersion() == null ? "not answered" : check.apiVersion()));
      out.println("Readable (" + check.readable().size() + "): "
          + String.join(", ", check.readable()));
      if (!check.forbidden().isEmpty()) {
        out.println("Forbidden (" + check.forbidden().size() + "): "
            + String.join(", ", check.forbidden()));
      }
      check.failed().forEach((r, why) -> out.println("Not checked: " + r + ": " + why));
      return CommandLine.OK;
    }
  }

  // ------------------------------------------------------------------------------- resources

  private int resources() {
    String format = "%-24s %-30s %-8s %-7s %-8s%n";
    out.printf(format, "resource", "path", "created", "events", "deletes");
    for (StripeResource r : StripeCatalog.all()) {
      out.printf(Locale.ROOT, format, r.name(), r.path(), r.createdFilter() ? "yes" : "no",
          r.changeEventTypes().size(), r.deletable() ? "yes" : "no");
    }
    out.println("(created: incremental runs list new objects by created; events: event types read"
        + " for changes; the default sync reads " + String.join(",",
            StripeCatalog.DOCUMENTED_RESOURCES) + ")");
    return CommandLine.OK;
  }

  // ----------------------------------------------------------------------------------- state

  private int state(Options options) {
    String resource = options.stateResource;
    try (OutputDirectory dir = OutputDirectory.open(options.out);
        Sink sink = openExisting(options.out, resource)) {
      if (options.stateAction.equals("show")) {
        String checkpoint = sink.checkpoint(resource).filter(c -> !c.isEmpty())
            .orElseGet(() -> StateStores.directory(dir.stateDir()).load(resource).orElse(null));
        if (checkpoint == null) {
          out.println(resource + ": no checkpoint in " + options.out
              + "; the next sync reads every object");
        } else {
          out.println(resource + " checkpoint (committed with the data in " + options.out + "):");
          out.println(checkpoint);
        }
        String last = lastRun(options.out, resource);
        if (last != null) {
          out.println(resource + " last run: " + last);
        }
        return CommandLine.OK;
      }
      // An empty checkpoint committed with the data tells the next run to start from scratch.
      sink.stageCheckpoints(Map.of(resource, ""));
      sink.commit();
      StateStores.directory(dir.stateDir()).delete(resource);
    }
    out.println(resource + ": checkpoint forgotten; the next sync reads every object again (add"
        + " --full-refresh to also delete what Stripe no longer has)");
    return CommandLine.OK;
  }

  /** The sink a directory was written with: Parquet when the resource has Parquet data. */
  private static Sink openExisting(Path out, String resource) {
    Path folder = out.resolve(resource);
    boolean parquet = Files.isDirectory(folder.resolve("current"));
    if (!parquet && Files.isDirectory(folder)) {
      try (java.util.stream.Stream<Path> children = Files.list(folder)) {
        parquet = children.anyMatch(p -> p.getFileName().toString().startsWith("ingest_date="));
      } catch (IOException e) {
        throw new UsageException("cannot read " + folder + ": " + e.getMessage());
      }
    }
    return parquet ? ParquetSink.builder().root(out).build() : Sinks.jsonLines(out);
  }

  private static String lastRun(Path out, String resource) {
    Path log = out.resolve(".sluice/runs.jsonl");
    if (!Files.exists(log)) {
      return null;
    }
    String last = null;
    for (String line : read(log).split("\n")) {
      if (!line.isBlank() && resource.equals(DataRecord.fromJson(line).getString("flow_id"))) {
        last = line;
      }
    }
    return last;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  // --------------------------------------------------------------------------------- version

  private int version() {
    out.println("sluice " + version(SluiceMain.class));
    return CommandLine.OK;
  }

  /** The version Maven built this jar as. */
  static String version(Class<?> anchor) {
    Properties p = new Properties();
    try (InputStream in = anchor.getResourceAsStream("sluice-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }

  // ---------------------------------------------------------------------------------- source

  /** The Stripe connection a command uses: the user's, or the bundled emulator's. */
  private record Source(StripeConnection connection, OutputDirectory.Identity identity,
      StripeEmulator emulator) implements AutoCloseable {

    static Source open(Options options, PrintStream err) {
      StripeEmulator emulator = null;
      String apiKey = options.apiKey;
      String apiBase = options.apiBase;
      if (options.demo) {
        emulator = StripeEmulator.builder().objectsPerResource(options.emulatorObjects).start();
        apiKey = EMULATOR_KEY;
        apiBase = emulator.baseUrl();
      }
      try {
        StripeConnection.Builder b = StripeConnection.builder().apiKey(apiKey)
            .verbosity(options.verbosity);
        if (emulator != null) {
          b.throttle(Throttle.none()); // Stripe's limits protect Stripe, not a local emulator
        }
        if (apiBase != null) {
          b.apiBase(apiBase);
        }
        if (options.proxyHost != null) {
          ProxySettings.Builder proxy = ProxySettings.builder().host(options.proxyHost)
              .port(options.proxyPort);
          if (options.proxyUser != null) {
            proxy = options.proxyDigest
                ? proxy.digestAuth(options.proxyUser, options.proxyPassword)
                : proxy.basicAuth(options.proxyUser, options.proxyPassword);
          }
          b.proxy(proxy.build());
        }
        StripeConnection connection = b.build();
        OutputDirectory.Identity identity = new OutputDirectory.Identity(
            emulator != null ? EMULATOR_BASE : connection.apiBase(), connection.stripeAccount(),
            connection.livemode() ? "live" : "test");
        return new Source(connection, identity, emulator);
      } catch (RuntimeException e) {
        if (emulator != null) {
          emulator.close();
        }
        throw new UsageException(e.getMessage() == null ? e.getClass().getSimpleName()
            : e.getMessage());
      }
    }

    @Override
    public void close() {
      if (emulator != null) {
        emulator.close();
      }
    }
  }
}
