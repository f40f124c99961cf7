package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.xdm.DataRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated data holds the values that break naive pipelines. */
class DataVarietyTest {
  static StripeEmulator emulator;
  static StripeHttp http;

  @BeforeAll
  static void start() {
    emulator = StripeEmulator.builder().seed(1).objectsPerResource(1200)
        .clock(StripeEmulatorTest.CLOCK).build().start();
    http = new StripeHttp(emulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void amountsCurrenciesAndIntegersPastDoublePrecision() {
    List<DataRecord> charges = StripeEmulatorTest.pageAll(http, "charges", 100, "");
    assertThat(charges).anyMatch(c -> c.getLong("amount") == 0L);
    assertThat(charges).anyMatch(c -> c.getLong("amount") > 10_000_000L);
    Set<String> currencies = new HashSet<>();
    charges.forEach(c -> currencies.add(c.getString("currency")));
    assertThat(currencies).contains("usd", "eur", "jpy", "bhd");
    assertThat(charges).filteredOn(c -> c.getString("currency").equals("jpy"))
        .allMatch(c -> c.getLong("amount") % 10 == 0);
    assertThat(charges).filteredOn(c -> c.getString("currency").equals("bhd"))
        .allMatch(c -> c.getLong("amount") % 10 == 0);
    assertThat(charges).anyMatch(c -> c.get("customer") == null)
        .anyMatch(c -> c.get("customer") != null);

    List<DataRecord> txns = StripeEmulatorTest.pageAll(http, "balance_transactions", 100, "");
    assertThat(txns).anyMatch(t -> t.getLong("amount") < 0);
    assertThat(txns).anyMatch(t -> t.getLong("amount") > (1L << 53));
    assertThat(txns).allMatch(t -> t.getLong("net") == t.getLong("amount") - t.getLong("fee"));
  }

  @Test
  void metadataAndTextsWithAwkwardKeysAndUnicode() {
    List<DataRecord> customers = StripeEmulatorTest.pageAll(http, "customers", 100, "");
    Set<String> keys = new HashSet<>();
    List<String> names = new ArrayList<>();
    customers.forEach(c -> {
      keys.addAll(c.getRecord("metadata").keys());
      if (c.getString("name") != null) {
        names.add(c.getString("name"));
      }
    });
    assertThat(keys).anyMatch(k -> k.contains("."));
    assertThat(keys).anyMatch(k -> k.contains(" "));
    assertThat(keys).anyMatch(k -> k.chars().anyMatch(ch -> ch > 127));
    assertThat(names).anyMatch(n -> n.codePoints().anyMatch(cp -> cp > 0xFFFF));
    assertThat(names).anyMatch(n -> n.contains("\""));
    assertThat(customers).anyMatch(c -> c.getLong("balance") < 0);
  }
}
