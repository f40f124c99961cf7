package dev.sluice.stripe.webhook;

import java.nio.file.Path;

/**
 * A webhook endpoint in its own JVM, for the kill -9 test: serves a receiver whose queue is in
 * {@code args[0]}, with the secret in {@code args[1]}, and prints its port.
 */
public final class WebhookServerChild {
  private WebhookServerChild() {}

  /** Serves until killed. */
  public static void main(String[] args) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.builder()
        .verifier(WebhookVerifier.builder().secret(args[1]).build())
        .queueDirectory(Path.of(args[0])).build();
    WebhookServer server = WebhookServer.startOnLoopback(receiver, 0, "/webhooks");
    System.out.println("port=" + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
