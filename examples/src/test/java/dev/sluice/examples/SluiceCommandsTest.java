package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.stripe.catalog.StripeResource;
import dev.sluice.testkit.LoopbackProxy;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command and flag of the main job, in process, against the emulator. */
class SluiceCommandsTest {
  static final String KEY = "sk_test_commandsTest123";
  @TempDir Path dir;

  /** One in-process run of the main job with its own output streams. */
  static final class Job {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final SluiceMain main;

    Job(Map<String, String> env, Duration progressInterval) {
      main = new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), env, false, progressInterval);
    }

    Job(Map<String, String> env) {
      this(env, Duration.ofSeconds(2));
    }

    int run(String... args) {
      return main.run(args);
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  static Job job() {
    return new Job(Map.of());
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 30 s for " + what).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  List<DataRecord> lines(Path file) throws IOException {
    List<DataRecord> records = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        records.add(DataRecord.fromJson(line));
      }
    }
    return records;
  }

  List<String> ids(String resource) throws IOException {
    List<String> ids = new ArrayList<>();
    Path folder = dir.resolve(resource);
    if (!Files.isDirectory(folder)) {
      return ids;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
        lines(f).forEach(r -> ids.add(r.getString("id")));
      }
    }
    return ids;
  }

  /** Every id the emulator lists for a resource now, read as a user would. */
  static Set<String> emulatorIds(StripeEmulator emulator, String resource) {
    Set<String> ids = new LinkedHashSet<>();
    dev.sluice.stripe.StripeConnection stripe = dev.sluice.stripe.StripeConnection.builder()
        .apiKey(KEY).apiBase(emulator.baseUrl())
        .throttle(dev.sluice.stripe.http.Throttle.none()).build();
    stripe.operations().list(StripeCatalog.require(resource).objectType().equals("charge")
        ? "Charge" : "Customer").forEach(r -> ids.add(r.getString("id")));
    return ids;
  }

  @Test
  void helpListsEveryCommandFlagAndExitStatusAndTheReadmeListsTheSameFlags() throws IOException {
    Job job = job();
    assertThat(job.run("--help")).isZero();
    String help = job.out();
    for (String command : List.of("sync", "check", "resources", "state show", "state reset",
        "version", "ops")) {
      assertThat(help).contains("  " + command);
    }
    Set<String> flags = flags(help);
    assertThat(flags).contains("--api-key", "--api-base", "--proxy", "--proxy-password-env",
        "--verbosity", "--parallelism", "--batch-size", "--quiet", "--json", "--resources",
        "--mapping", "--tenant", "--out", "--format", "--full-refresh", "--emulator-objects");
    assertThat(help).contains("0 everything worked").contains("1 a resource failed")
        .contains("2 the command line was wrong").contains("130");

    Path readme = Path.of(System.getProperty("sluice.reactorRoot", ".."), "README.md");
    assertThat(flags(Files.readString(readme))).as("flags in the README").containsAll(flags);
    Job sub = job();
    assertThat(sub.run("sync", "--help")).isZero();
    assertThat(sub.out()).isEqualTo(help);
  }

  private static Set<String> flags(String text) {
    Set<String> flags = new LinkedHashSet<>();
    Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z-]+").matcher(text);
    while (m.find()) {
      flags.add(m.group());
    }
    flags.remove("--help");
    return flags;
  }

  @Test
  void versionAndResourcesPrintWhatTheJarIs() {
    Job version = job();
    assertThat(version.run("version")).isZero();
    assertThat(version.out().strip()).matches("sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

    Job resources = job();
    assertThat(resources.run("resources")).isZero();
    for (StripeResource r : StripeCatalog.all()) {
      assertThat(resources.out()).containsPattern("(?m)^" + Pattern.quote(r.name()) + "\\s+"
          + Pattern.quote(r.path()));
    }
  }

  @Test
  void checkTellsWhetherTheKeyWorksAndWhatARestrictedKeyMayRead() {
    String restricted = "rk_test_51ChecksChargesOnly00009";
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(5)
        .restrictedKey(restricted, Set.of("charges", "events")).start()) {
      Job secret = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(secret.run("check", "--api-base", emulator.baseUrl())).as(secret.err()).isZero();
      emulator.defaultApiVersion("2024-06-20");
      Job pinnedDefault = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(pinnedDefault.run("check", "--api-base", emulator.baseUrl())).isZero();
      assertThat(pinnedDefault.out()).contains("API version 2024-06-20");
      assertThat(secret.out()).contains("The key works: test mode, a secret key")
          .contains("Readable (" + StripeCatalog.all().size() + ")");

      Job limited = new Job(Map.of());
      assertThat(limited.run("check", "--api-key", restricted, "--api-base", emulator.baseUrl(),
          "--json")).as(limited.err()).isZero();
      DataRecord answer = DataRecord.fromJson(limited.out().strip());
      assertThat(answer.getList("readable")).containsExactlyInAnyOrder("charges", "events");
      assertThat(answer.getString("api_version")).isEqualTo("2024-06-20");
      assertThat(answer.getList("forbidden")).contains("customers", "prices");
      assertThat(limited.out() + limited.err()).doesNotContain(restricted);

      Job refused = new Job(Map.of());
      assertThat(refused.run("check", "--api-key", "sk_live_refusedHere4321", "--api-base",
          emulator.baseUrl())).isEqualTo(1);
      assertThat(refused.err().lines()).hasSize(1);
      assertThat(refused.err()).startsWith("sluice: Stripe rejected the API key")
          .doesNotContain("refusedHere4321");
    }
  }

  @Test
  void theDemoRunsOnlyWithoutAnyKeyAndAnEmptyKeyOrABaseWithoutKeyIsAUsageError() {
    Job empty = new Job(Map.of("STRIPE_API_KEY", " "));
    assertThat(empty.run("sync", "--out", dir.toString())).isEqualTo(2);
    assertThat(empty.err()).startsWith("sluice: STRIPE_API_KEY is set but empty");
    assertThat(empty.err().lines()).hasSize(1);

    Job baseOnly = job();
    assertThat(baseOnly.run("sync", "--out", dir.toString(), "--api-base", "http://127.0.0.1:9"))
        .isEqualTo(2);
    assertThat(baseOnly.err()).startsWith("sluice: --api-base needs a key");

    Job notAUrl = job();
    assertThat(notAUrl.run("sync", "--api-key", KEY, "--api-base", "notaurl")).isEqualTo(2);
    assertThat(notAUrl.err().lines()).hasSize(1);
    assertThat(notAUrl.err()).contains("--api-base takes an http(s) URL").doesNotContain("\tat ");

    Job keyInBase = job();
    assertThat(keyInBase.run("sync", "--api-key", KEY, "--api-base", KEY)).isEqualTo(2);
    assertThat(keyInBase.err()).doesNotContain(KEY);

    assertThat(Files.exists(dir.resolve("charges"))).as("nothing synced").isFalse();

    Job demo = job();
    assertThat(demo.run("sync", "--out", dir.toString(), "--resources", "prices",
        "--emulator-objects", "20", "--quiet")).as(demo.err()).isZero();
    assertThat(demo.err().lines().findFirst().orElseThrow()).startsWith("No API key given");
    assertThat(demo.out()).isEmpty();
  }

  @Test
  void badFlagsAreOneLineEachAndExitTwo() {
    Map<String[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(new String[] {"sync", "--verbosity", "9"}, "--verbosity must be 1 to 5, got 9");
    cases.put(new String[] {"sync", "--parallelism", "x"}, "--parallelism takes a whole number");
    cases.put(new String[] {"sync", "--batch-size", "0"}, "--batch-size must be 1 to");
    cases.put(new String[] {"sync", "--proxy", "http://me:secret@127.0.0.1:3128"},
        "--proxy must not hold the password");
    cases.put(new String[] {"sync", "--proxy", "http://me@127.0.0.1:3128"},
        "--proxy-password-env");
    cases.put(new String[] {"sync", "--mapping", "charges=a.json", "--mapping", "charges=b.json"},
        "--mapping names charges twice");
    cases.put(new String[] {"state", "show"}, "state show needs a resource");
    cases.put(new String[] {"frobnicate"}, "unknown command 'frobnicate'");
    cases.put(new String[] {}, "missing command");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      Job job = job();
      assertThat(job.run(c.getKey())).as(String.join(" ", c.getKey())).isEqualTo(2);
      assertThat(job.err()).as(String.join(" ", c.getKey())).startsWith("sluice: ")
          .contains(c.getValue()).doesNotContain("secret").doesNotContain("Exception");
      assertThat(job.err().lines()).as(String.join(" ", c.getKey())).hasSize(1);
    }
  }

  @Test
  void jsonBatchSizeAndParallelismShapeTheRun() throws IOException {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(230).start()) {
      Job job = new Job(Map.of("STRIPE_API_KEY", KEY));
      int status = job.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "customers", "--batch-size", "100", "--parallelism", "2", "--json");
      assertThat(status).as(job.err()).isZero();
      DataRecord summary = DataRecord.fromJson(job.out().strip());
      assertThat(summary.getString("status")).isEqualTo("success");
      DataRecord customers = (DataRecord) summary.getList("resources").get(0);
      assertThat(customers.getString("resource")).isEqualTo("customers");
      assertThat(customers.getLong("records_written")).isEqualTo(230L);
      try (Stream<Path> files = Files.list(dir.resolve("customers"))) {
        assertThat(files.filter(p -> p.toString().endsWith(".jsonl")).count())
            .as("batches of at most 100 records").isGreaterThanOrEqualTo(3);
      }
      assertThat(ids("customers")).hasSize(230).doesNotHaveDuplicates();
      long listCalls = emulator.requests().stream()
          .filter(r -> r.path().equals("/v1/customers")).count();
      assertThat(listCalls).as("slices read in parallel, each its own listing").isGreaterThan(3);
    }
  }

  @Test
  void aSyncGoesThroughTheProxyWithThePasswordFromTheEnvironment() throws IOException {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(12).start();
        LoopbackProxy proxy = LoopbackProxy.builder().basic("sync", "pr0xyPass").start()) {
      Map<String, String> env = new HashMap<>();
      env.put("STRIPE_API_KEY", KEY);
      env.put("PROXY_PASSWORD", "pr0xyPass");
      Job job = new Job(env);
      int status = job.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "prices", "--proxy", "http://sync@127.0.0.1:" + proxy.port(),
          "--proxy-password-env", "PROXY_PASSWORD", "--verbosity", "3");
      assertThat(status).as(job.err()).isZero();
      assertThat(ids("prices")).hasSize(12);
      assertThat(proxy.requestLines()).anyMatch(line -> line.contains("/v1/prices"));
      assertThat(job.out() + job.err()).doesNotContain("pr0xyPass");
    }
  }

  @Test
  void progressComesAtTheIntervalWithRateAndBackfillCoverage() {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(600).start()) {
      emulator.faults().latency(Duration.ofMillis(40));
      Job job = new Job(Map.of("STRIPE_API_KEY", KEY), Duration.ofMillis(100));
      int status = job.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "charges", "--parallelism", "1", "--batch-size", "100");
      assertThat(status).as(job.err()).isZero();
      List<String> progress = job.err().lines().filter(l -> l.contains("records/s")).toList();
      assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
      assertThat(progress).allMatch(l -> l.startsWith("charges: ") && l.contains(" pages"));
      assertThat(progress).anyMatch(l -> l.matches(".*backfill \\d+% of the created range"));
    }
  }

  @Test
  void aSecondSyncIntoTheSameDirectoryIsRefusedAndTheFirstEndsExact() throws Exception {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(300).start()) {
      emulator.faults().latency(Duration.ofMillis(30));
      Job first = new Job(Map.of("STRIPE_API_KEY", KEY));
      CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> first.run("sync",
          "--api-base", emulator.baseUrl(), "--out", dir.toString(), "--resources", "charges",
          "--parallelism", "1"));
      Path lock = dir.resolve(".sluice/lock");
      await(() -> Files.exists(lock) && read(lock).contains("pid"), "the first sync's lock");

      Job second = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(second.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "charges")).isEqualTo(2);
      assertThat(second.err().lines()).hasSize(1);
      assertThat(second.err()).contains("is in use by another sync (pid "
          + ProcessHandle.current().pid());

      assertThat(running.get(60, TimeUnit.SECONDS)).as(first.err()).isZero();
      emulator.faults().clear();
      assertThat(ids("charges")).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(emulatorIds(emulator, "charges"));
    }
  }

  @Test
  void aCancelledSyncKeepsWhatItReadIsLoggedAndTheRerunEndsExact() throws Exception {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(800).start()) {
      emulator.faults().latency(Duration.ofMillis(25));
      Job first = new Job(Map.of("STRIPE_API_KEY", KEY));
      CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> first.run("sync",
          "--api-base", emulator.baseUrl(), "--out", dir.toString(), "--resources", "charges",
          "--parallelism", "1", "--batch-size", "100"));
      Path checkpoint = dir.resolve(".sluice/state/charges.json");
      await(() -> Files.exists(checkpoint), "the first committed batch");
      first.main.cancel(); // what Ctrl-C does

      assertThat(running.get(60, TimeUnit.SECONDS)).as(first.err()).isEqualTo(130);
      assertThat(first.err()).contains("sluice: stopped; what was read is kept");
      List<DataRecord> log = lines(dir.resolve(".sluice/runs.jsonl"));
      assertThat(log).extracting(r -> r.getString("status")).containsExactly("cancelled");
      long kept = ids("charges").size();
      assertThat(kept).isPositive().isLessThan(800);
      assertThat(dir.resolve(".sluice/run.json")).as("the run recorded its end").doesNotExist();
      try (Stream<Path> files = Files.walk(dir)) {
        assertThat(files.filter(p -> p.getFileName().toString().contains(".tmp")).toList())
            .as("no temporary file left behind").isEmpty();
      }

      emulator.faults().clear();
      Job rerun = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(rerun.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "charges")).as(rerun.err()).isZero();
      assertThat(ids("charges")).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(emulatorIds(emulator, "charges"));
      assertThat(lines(dir.resolve(".sluice/runs.jsonl"))).extracting(r -> r.getString("status"))
          .containsExactly("cancelled", "success");
    }
  }

  @Test
  void anOutputDirectoryOfAnotherSourceIsRefusedUnlessAFullRefreshTakesItOver() {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(15).start()) {
      Job demo = job();
      assertThat(demo.run("sync", "--out", dir.toString(), "--resources", "prices",
          "--emulator-objects", "10", "--quiet")).as(demo.err()).isZero();

      Job other = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(other.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "prices")).isEqualTo(2);
      assertThat(other.err()).contains("holds data of another Stripe source (bundled-emulator")
          .contains("--full-refresh");
      assertThat(other.err().lines()).hasSize(1);

      Job takeOver = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(takeOver.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "prices", "--full-refresh", "--quiet")).as(takeOver.err()).isZero();
      Job again = new Job(Map.of("STRIPE_API_KEY", KEY));
      assertThat(again.run("sync", "--api-base", emulator.baseUrl(), "--out", dir.toString(),
          "--resources", "prices", "--quiet")).as(again.err()).isZero();
    }
  }

  @Test
  void stateShowAndResetAndAnInterruptedRunIsRecordedByTheNext() throws IOException {
    Job none = job();
    assertThat(none.run("state", "show", "prices", "--out", dir.toString())).isZero();
    assertThat(none.out()).contains("prices: no checkpoint");

    Job sync = job();
    assertThat(sync.run("sync", "--out", dir.toString(), "--resources", "prices",
        "--emulator-objects", "10", "--quiet")).isZero();
    Job show = job();
    assertThat(show.run("state", "show", "prices", "--out", dir.toString())).isZero();
    assertThat(show.out()).contains("prices checkpoint").contains("\"phase\"")
        .contains("prices last run: ").contains("\"status\":\"success\"");

    Job reset = job();
    assertThat(reset.run("state", "reset", "prices", "--out", dir.toString())).isZero();
    assertThat(dir.resolve(".sluice/state/prices.json")).doesNotExist();
    Job afterReset = job();
    assertThat(afterReset.run("state", "show", "prices", "--out", dir.toString())).isZero();
    assertThat(afterReset.out()).contains("prices: no checkpoint");
    Job reread = job();
    assertThat(reread.run("sync", "--out", dir.toString(), "--resources", "prices",
        "--emulator-objects", "10", "--json")).isZero();
    DataRecord again = (DataRecord) DataRecord.fromJson(reread.out().strip())
        .getList("resources").get(0);
    assertThat(again.getLong("records_read")).as("a reset resource is read again in full")
        .isEqualTo(10L);

    // A run killed mid-way leaves its marker behind (kill -9 runs no code); the next one says so.
    Files.writeString(dir.resolve(".sluice/run.json"),
        "{\"run_id\":\"killed-run\",\"started_at\":\"2026-12-01T00:00:00Z\"}\n");
    Job next = job();
    assertThat(next.run("sync", "--out", dir.toString(), "--resources", "prices",
        "--emulator-objects", "10", "--quiet")).as(next.err()).isZero();
    assertThat(next.err()).contains("the previous sync in " + dir + " was interrupted");
    assertThat(lines(dir.resolve(".sluice/runs.jsonl")))
        .filteredOn(r -> "killed-run".equals(r.getString("run_id")))
        .extracting(r -> r.getString("status")).containsExactly("interrupted");
  }

  /** Runs the main job in a child JVM (its own logging set-up), returning what it printed. */
  private String childJob(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SluiceMain.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("STRIPE_API_KEY");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void parquetsOwnLoggingStaysOutOfTheConsoleUnlessVerbosityAsksForIt() throws Exception {
    String quiet = childJob("sync", "--out", dir.resolve("a").toString(), "--resources",
        "charges", "--format", "parquet", "--emulator-objects", "20");
    assertThat(quiet).contains("charges: success").doesNotContain("INFO")
        .doesNotContain("org.apache");
    String verbose = childJob("sync", "--out", dir.resolve("b").toString(), "--resources",
        "charges", "--format", "parquet", "--emulator-objects", "20", "--verbosity", "4");
    assertThat(verbose).contains("INFO org.apache.parquet").contains("INFO dev.sluice.stripe.http");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }
}
