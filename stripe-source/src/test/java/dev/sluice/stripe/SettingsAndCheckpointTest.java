package dev.sluice.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stripe.http.ProxySettings;
import dev.sluice.stripe.http.Throttle;
import dev.sluice.stripe.internal.ListCursor;
import dev.sluice.stripe.internal.Slice;
import dev.sluice.stripe.internal.StripeTransport;
import dev.sluice.stripe.internal.SyncState;
import dev.sluice.stripe.internal.http.RateLimiter;
import dev.sluice.xdm.JsonFormatException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A connection's settings copied and shown without secrets; checkpoints read back as written. */
class SettingsAndCheckpointTest {
  static final String KEY = "sk_live_51SettingsKeyNeverShown";
  static final String PROXY_PASSWORD = "proxy-Pa55word";

  @Test
  void theTransportSettingsNeverShowTheKeyOrTheProxyPassword() {
    ProxySettings proxy = ProxySettings.builder().host("proxy.corp").port(3128)
        .basicAuth("svc", PROXY_PASSWORD).build();
    StripeTransport.Config config = new StripeTransport.Config(KEY, "https://api.stripe.com", null, null,
        Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ZERO, proxy,
        Throttle.none(), 1, null, RateLimiter.Ticker.SYSTEM);
    assertThat(config.toString()).doesNotContain(KEY).doesNotContain(PROXY_PASSWORD)
        .contains("proxy.corp:3128");
    assertThat(config.livemode()).isTrue();
  }

  @Test
  void newBuilderCopiesEverySetting() {
    StripeConnection c = StripeConnection.builder().apiKey("rk_test_51CopyMe")
        .apiBase("http://localhost:12111/").stripeAccount("acct_1Copy").stripeVersion("2024-06-20")
        .proxy(ProxySettings.builder().host("proxy.corp").port(3128).sslType(ProxySettings.SslType.NEVER).build())
        .throttle(Throttle.perSecond(6)).verbosity(3).build();
    StripeConnection copy = c.newBuilder().build();
    assertThat(copy.toString()).isEqualTo(c.toString()).doesNotContain("rk_test_51CopyMe");
    assertThat(copy.apiKey()).isEqualTo("rk_test_51CopyMe");
    assertThat(copy.apiBase()).isEqualTo("http://localhost:12111");
    assertThat(copy.restrictedKey()).isTrue();
    assertThat(copy.livemode()).isFalse();
    assertThat(copy.stripeAccount()).isEqualTo("acct_1Copy");
    assertThat(copy.stripeVersion()).isEqualTo("2024-06-20");
    assertThat(copy.proxy()).isEqualTo(c.proxy());
    assertThat(copy.throttle()).isEqualTo(Throttle.perSecond(6));
    assertThat(copy.verbosity()).isEqualTo(3);
  }

  @Test
  void checkpointsReadBackAsWritten() {
    String incremental = "{\"phase\":\"incremental\",\"cursor\":{\"since\":30,\"seen_at_since\":[\"c3\",\"c2\"],"
        + "\"starting_after\":\"c1\",\"newest\":40,\"newest_ids\":[\"c9\"]},"
        + "\"events\":{\"last_id\":\"evt_1\",\"since\":41}}";
    SyncState state = SyncState.parse(incremental);
    assertThat(state.incremental()).isEqualTo(
        new ListCursor(30L, Set.of("c3", "c2"), "c1", 40L, Set.of("c9")));
    // A checkpoint from before the settle window (events.last_id/since) still reads: the event
    // list counts as read through its second, the last event as applied.
    assertThat(state.events()).isEqualTo(new SyncState.EventCursor(41, 0, Map.of("evt_1", 41L), Map.of()));
    assertThat(SyncState.parse(state.toJson())).isEqualTo(state);
    assertThat(state.toJson()).contains("\"events\":{\"through\":41,\"floor\":0,\"applied\":{\"evt_1\":41},"
        + "\"reflected\":{}}");

    SyncState polled = state.withEvents(new SyncState.EventCursor(900, 500, Map.of("evt_2", 880L),
        Map.of("cus_1", 899L)));
    assertThat(SyncState.parse(polled.toJson())).isEqualTo(polled);
    assertThat(state.toJson()).isEqualTo(SyncState.parse(state.toJson()).toJson());

    SyncState backfill = SyncState.backfill(100, List.of(new Slice(1, 50, "ch_1"), new Slice(51, 100, null)),
        Set.of("ch_9"));
    assertThat(SyncState.parse(backfill.toJson())).isEqualTo(backfill);
    assertThat(backfill.toJson()).doesNotContain("events");
  }

  @Test
  void aBrokenCursorIsReportedAsACheckpointToDelete() {
    assertThatThrownBy(() -> ListCursor.parse("{not json"))
        .isInstanceOf(JsonFormatException.class).hasMessageContaining("not a Stripe list cursor");
    assertThatThrownBy(() -> SyncState.parse("{\"phase\":\"incremental\",\"cursor\":{\"since\":\"x\"}}"))
        .isInstanceOf(JsonFormatException.class).hasMessageContaining("delete it");
  }
}
