package dev.sluice.stripe.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP endpoint for Stripe's webhook deliveries, on the JDK's own HTTP server, for
 * applications that have no server of their own: each POST to the path goes to a {@link
 * WebhookReceiver}, and its answer goes back to Stripe. Put it behind your TLS-terminating proxy;
 * Stripe delivers to HTTPS URLs only.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.start(receiver, 8088, "/stripe/webhooks")) {
 *   ...
 * }
 * }</pre>
 */
public final class WebhookServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final String path;

  private WebhookServer(HttpServer server, ExecutorService executor, String path) {
    this.server = server;
    this.executor = executor;
    this.path = path;
  }

  /**
   * Starts serving {@code receiver} at {@code path} on {@code port} (0: any free port) of all
   * interfaces.
   *
   * @throws UncheckedIOException if the port cannot be bound
   * @throws IllegalArgumentException if the path does not start with {@code /}
   */
  public static WebhookServer start(WebhookReceiver receiver, int port, String path) {
    return start(receiver, new InetSocketAddress(port), path);
  }

  /** Like {@link #start(WebhookReceiver, int, String)}, on the loopback interface only. */
  public static WebhookServer startOnLoopback(WebhookReceiver receiver, int port, String path) {
    return start(receiver, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), path);
  }

  private static WebhookServer start(WebhookReceiver receiver, InetSocketAddress address,
      String path) {
    Objects.requireNonNull(receiver, "receiver == null");
    Objects.requireNonNull(path, "path == null");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /, was '" + path + "'");
    }
    HttpServer server;
    try {
      server = HttpServer.create(address, 128);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen for webhooks on " + address, e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "sluice-webhooks");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext(path, exchange -> handle(receiver, path, exchange));
    server.start();
    return new WebhookServer(server, executor, path);
  }

  private static void handle(WebhookReceiver receiver, String path, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      int status;
      String body;
      if (!exchange.getRequestURI().getPath().equals(path)) {
        status = 404;
        body = "{\"error\":\"no webhook endpoint here\"}";
      } else {
        byte[] payload;
        try (InputStream in = exchange.getRequestBody()) {
          payload = in.readNBytes(16 << 20);
        }
        WebhookReceiver.Answer answer = receiver.receive(exchange.getRequestMethod(),
            exchange.getRequestHeaders().getFirst("Content-Type"), payload,
            exchange.getRequestHeaders().getFirst("Stripe-Signature"));
        status = answer.status();
        body = answer.body();
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The path deliveries are posted to. */
  public String path() {
    return path;
  }

  /** Stops listening; deliveries under way get a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}
