package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stripe.catalog.StripeCatalog;
import dev.sluice.testkit.StripeEmulator;
import dev.sluice.xdm.DataRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end, against the bundled emulator. */
class SluiceMainTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    return new SluiceMain(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
  }

  String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  List<DataRecord> records(String resource) throws IOException {
    List<DataRecord> records = new ArrayList<>();
    Path folder = dir.resolve(resource);
    if (!Files.isDirectory(folder)) {
      return records;
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          records.add(DataRecord.fromJson(line));
        }
      }
    }
    return records;
  }

  @Test
  void withoutAKeyItSyncsTheEmulatorsSixResourcesEachIdOnce() throws IOException {
    int status = run(Map.of(), "sync", "--out", dir.toString());

    assertThat(status).as(stderr()).isZero();
    for (String resource : StripeCatalog.DOCUMENTED_RESOURCES) {
      List<DataRecord> records = records(resource);
      assertThat(records).as(resource).isNotEmpty();
      assertThat(records.stream().map(r -> r.getString("id")))
          .as(resource + " ids").doesNotHaveDuplicates().allMatch(id -> id != null);
      String row = stdout().lines().filter(l -> l.startsWith(resource + " ")).findFirst().orElseThrow();
      String[] cells = row.trim().split("\\s+");
      assertThat(Long.parseLong(cells[1])).as("read " + resource).isEqualTo(records.size());
      assertThat(Long.parseLong(cells[2])).as("written " + resource).isEqualTo(records.size());
      assertThat(cells[cells.length - 1]).isEqualTo("success");
    }
    assertThat(stdout()).contains("Data is in");
    assertThat(dir.resolve(".sluice/state/charges.json")).exists();
    assertThat(dir.resolve(".sluice/runs.jsonl")).exists();

    // A second run finds nothing new and writes nothing twice.
    int again = run(Map.of(), "sync", "--out", dir.toString(), "--resources", "charges");
    assertThat(again).isZero();
    List<DataRecord> charges = records("charges");
    assertThat(charges.stream().map(r -> r.getString("id"))).doesNotHaveDuplicates();
    String row = stdout().lines().filter(l -> l.startsWith("charges ")).findFirst().orElseThrow();
    assertThat(row.trim().split("\\s+")[1]).isEqualTo("0");
  }

  @Test
  void aMappingSetMapsChargesOntoTheTenantsXdmRecords() throws IOException {
    Path mapping = Path.of("mappings/aep-charges-mapping-set.json");
    int status = run(Map.of(), "sync", "--out", dir.toString(), "--resources", "charges",
        "--mapping", "charges=" + mapping, "--tenant", "acme");
    assertThat(status).as(stderr()).isZero();
    List<DataRecord> records = records("charges");
    assertThat(records).isNotEmpty().allSatisfy(r -> {
      assertThat(r.keys()).containsExactly("_acme");
      assertThat(r.getPath("_acme.charges_data.id")).asString().startsWith("ch_");
      assertThat(r.getPath("_acme.charges_data.amount")).isInstanceOf(Long.class);
    });
  }

  @Test
  void aServerThatIsDownIsOneLineAndANonZeroExit() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int status = run(Map.of(), "sync", "--out", dir.toString(), "--api-key", "sk_test_abc123",
        "--api-base", "http://127.0.0.1:" + port);
    assertThat(status).isEqualTo(1);
    String last = stderr().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last).startsWith("sluice: Cannot reach the Stripe API at http://127.0.0.1:" + port)
        .contains("connection refused");
    assertThat(stderr()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aRejectedKeyIsOneLineAndANonZeroExitWithoutTheKey() {
    try (StripeEmulator emulator = StripeEmulator.builder().objectsPerResource(10).build().start()) {
      int status = run(Map.of("STRIPE_API_KEY", "sk_live_notAcceptedHere987"), "sync",
          "--out", dir.toString(), "--api-base", emulator.baseUrl());
      assertThat(status).isEqualTo(1);
      String last = stderr().lines().reduce((a, b) -> b).orElseThrow();
      assertThat(last).startsWith("sluice: Stripe rejected the API key").contains("401");
      assertThat(stderr() + stdout()).doesNotContain("notAcceptedHere987");
    }
  }

  @Test
  void badArgumentsSayWhatToChange() {
    assertThat(run(Map.of(), "sync", "--resources", "charges,nope")).isEqualTo(2);
    assertThat(stderr()).contains("unknown resource 'nope'");
    assertThat(run(Map.of(), "sync", "--mapping", "charges")).isEqualTo(2);
    assertThat(stderr()).contains("--mapping takes RESOURCE=FILE");
    assertThat(run(Map.of(), "sync", "--api-key", "pk_test_123")).isEqualTo(2);
    assertThat(stderr()).contains("not a Stripe secret key").doesNotContain("pk_test_123");
    assertThat(run(Map.of(), "sync", "--resources", "charges", "--mapping",
        "charges=mappings/aep-charges-mapping-set.json")).isEqualTo(2);
    assertThat(stderr()).contains("--tenant");
  }

  @Test
  void parquetLandsReadableByDuckDbWithEachIdOnce() throws Exception {
    int status = run(Map.of(), "sync", "--out", dir.toString(), "--resources", "customers", "--format", "parquet");
    assertThat(status).as(stderr()).isZero();
    String row = stdout().lines().filter(l -> l.startsWith("customers ")).findFirst().orElseThrow();
    long written = Long.parseLong(row.trim().split("\\s+")[2]);
    assertThat(stdout()).contains("read_parquet(");
    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = db.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id) FROM read_parquet('"
            + dir.resolve("customers/current/*.parquet") + "')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(written).isPositive();
      assertThat(rs.getLong(2)).isEqualTo(written);
    }
  }

  @Test
  void aFullRefreshReadsEverythingAgainAndKeepsOneCurrentVersionPerId() throws IOException {
    assertThat(run(Map.of(), "sync", "--out", dir.toString(), "--resources", "prices")).isZero();
    long first = records("prices").size();
    assertThat(run(Map.of(), "sync", "--out", dir.toString(), "--resources", "prices", "--full-refresh"))
        .as(stderr()).isZero();
    String row = stdout().lines().filter(l -> l.startsWith("prices ")).findFirst().orElseThrow();
    assertThat(Long.parseLong(row.trim().split("\\s+")[1])).isEqualTo(first);
    // Two versions of each price now, in commit order; the current state is one per id.
    assertThat(records("prices")).hasSize((int) (2 * first));
    assertThat(records("prices").stream().map(r -> r.getString("id")).distinct().count()).isEqualTo(first);
  }

  @Test
  void theOpsCommandRunsTheDocumentsExamplesAgainstTheEmulator() {
    int status = run(Map.of(), "ops");
    assertThat(status).as(stderr()).isZero();
    assertThat(stdout()).contains("Success").contains("pi_").contains("cus_");
  }
}
