package dev.sluice.stripe.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.net.Webhook;
import dev.sluice.stripe.webhook.WebhookRefusedException.Reason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries are answered 2xx only once durably queued, over real HTTP, across a kill -9. */
class WebhookReceiverTest {
  static final String SECRET = "whsec_receiver_5c1e9a7b3d2f4e6a8c0b";
  static final OkHttpClient HTTP = new OkHttpClient.Builder()
      .callTimeout(Duration.ofSeconds(20)).build();
  @TempDir Path dir;

  static String event(int n) {
    return "{\"id\":\"evt_" + n + "\",\"object\":\"event\",\"type\":\"customer.updated\","
        + "\"created\":" + (System.currentTimeMillis() / 1000) + ",\"data\":{\"object\":"
        + "{\"id\":\"cus_" + n + "\",\"object\":\"customer\"}}}";
  }

  static String sign(String payload) throws Exception {
    return Webhook.Signature.generateSignatureHeader(payload, SECRET,
        System.currentTimeMillis() / 1000);
  }

  WebhookReceiver receiver(int max) {
    return WebhookReceiver.builder().verifier(WebhookVerifier.builder().secret(SECRET).build())
        .queueDirectory(dir).maxQueuedEvents(max).build();
  }

  static WebhookReceiver.Answer deliver(WebhookReceiver r, String payload) throws Exception {
    return r.receive("POST", "application/json", payload.getBytes(StandardCharsets.UTF_8),
        sign(payload));
  }

  @Test
  void acceptedEventsWaitInTheQueueAcrossAReopenUntilAcknowledged() throws Exception {
    try (WebhookReceiver r = receiver(10)) {
      for (int i = 1; i <= 3; i++) {
        assertThat(deliver(r, event(i)).status()).isEqualTo(200);
      }
      WebhookReceiver.Answer bad = r.receive("POST", "application/json",
          event(9).getBytes(StandardCharsets.UTF_8), sign(event(8)));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.refusal().reason()).isEqualTo(Reason.BAD_SIGNATURE);
      List<WebhookReceiver.QueuedEvent> two = r.pending(2);
      assertThat(two).extracting(e -> e.event().getString("id")).containsExactly("evt_1", "evt_2");
      r.acknowledge(two.get(1));
    }
    try (WebhookReceiver reopened = receiver(10)) {
      assertThat(reopened.queued()).isEqualTo(1);
      List<WebhookReceiver.QueuedEvent> rest = reopened.pending(10);
      assertThat(rest).extracting(e -> e.event().getString("id")).containsExactly("evt_3");
      reopened.acknowledge(rest.get(0));
      assertThat(reopened.pending(10)).isEmpty();
      assertThat(Files.size(dir.resolve("queue.jsonl"))).as("an empty queue starts over").isZero();
      assertThat(deliver(reopened, event(4)).status()).isEqualTo(200);
      assertThat(reopened.pending(10)).extracting(e -> e.event().getString("id"))
          .containsExactly("evt_4");
    }
  }

  @Test
  void aFullQueueAnswers503SoStripeRetriesAndTakesMoreOnceDrained() throws Exception {
    try (WebhookReceiver r = receiver(2)) {
      deliver(r, event(1));
      deliver(r, event(2));
      WebhookReceiver.Answer full = deliver(r, event(3));
      assertThat(full.status()).isEqualTo(503);
      assertThat(full.refusal().isRetryable()).isTrue();
      r.acknowledge(r.pending(1).get(0));
      assertThat(deliver(r, event(3)).status()).isEqualTo(200);
      assertThat(r.pending(10)).extracting(e -> e.event().getString("id"))
          .containsExactly("evt_2", "evt_3");
    }
  }

  @Test
  void anAppendCutShortByACrashIsDroppedWhenTheQueueOpens() throws Exception {
    try (WebhookReceiver r = receiver(10)) {
      deliver(r, event(1));
    }
    Files.writeString(dir.resolve("queue.jsonl"), "{\"id\":\"evt_2\",\"obj",
        StandardOpenOption.APPEND);
    try (WebhookReceiver r = receiver(10)) {
      assertThat(r.pending(10)).extracting(e -> e.event().getString("id"))
          .containsExactly("evt_1");
      deliver(r, event(3));
      assertThat(r.pending(10)).extracting(e -> e.event().getString("id"))
          .containsExactly("evt_1", "evt_3");
    }
  }

  @Test
  void theEmbeddedServerAnswersOverHttp() throws Exception {
    try (WebhookReceiver r = receiver(10);
        WebhookServer server = WebhookServer.startOnLoopback(r, 0, "/webhooks")) {
      String url = "http://127.0.0.1:" + server.port() + "/webhooks";
      String payload = event(1);
      try (Response ok = HTTP.newCall(new Request.Builder().url(url)
          .header("Stripe-Signature", sign(payload))
          .post(RequestBody.create(payload, MediaType.get("application/json"))).build()).execute()) {
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.body().string()).contains("\"received\":true");
      }
      try (Response get = HTTP.newCall(new Request.Builder().url(url).get().build()).execute()) {
        assertThat(get.code()).isEqualTo(405);
      }
      try (Response unsigned = HTTP.newCall(new Request.Builder().url(url)
          .post(RequestBody.create(payload, MediaType.get("application/json"))).build()).execute()) {
        assertThat(unsigned.code()).isEqualTo(400);
        assertThat(unsigned.body().string()).contains("no Stripe-Signature header");
      }
      assertThat(r.pending(10)).hasSize(1);
    }
  }

  @Test
  void anEventAnswered200SurvivesAKillRightAfterTheAnswer() throws Exception {
    Path queue = dir.resolve("queue");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), WebhookServerChild.class.getName(),
        queue.toString(), SECRET).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      while (line != null && !line.startsWith("port=")) {
        line = out.readLine();
      }
      assertThat(line).as("the child's port").isNotNull();
      String url = "http://127.0.0.1:" + line.substring(5) + "/webhooks";
      List<String> acknowledged = new ArrayList<>();
      for (int i = 1; i <= 20; i++) {
        String payload = event(i);
        try (Response r = HTTP.newCall(new Request.Builder().url(url)
            .header("Stripe-Signature", sign(payload))
            .post(RequestBody.create(payload, MediaType.get("application/json"))).build())
            .execute()) {
          if (r.code() == 200) {
            acknowledged.add("evt_" + i);
          }
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(acknowledged).hasSize(20);
    } finally {
      child.destroyForcibly();
    }
    try (WebhookReceiver reopened = WebhookReceiver.builder()
        .verifier(WebhookVerifier.builder().secret(SECRET).build())
        .queueDirectory(queue).build()) {
      List<String> ids = reopened.pending(100).stream()
          .map(e -> e.event().getString("id")).toList();
      assertThat(ids).hasSize(20).doesNotHaveDuplicates();
      for (int i = 1; i <= 20; i++) {
        assertThat(ids).contains("evt_" + i);
      }
    }
  }
}
