package dev.sluice.stripe.internal.http;

import dev.sluice.stripe.http.ProxySettings;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Builds the one OkHttp client of a connection: timeouts, the throttle, the proxy (forwarding,
 * OkHttp's own CONNECT tunnels, or {@link TunnelSocketFactory}'s), proxy authentication, custom
 * trust, and logging.
 */
public final class HttpClients {
  private HttpClients() {}

  /**
   * How the proxy is used for an API base.
   *
   * @return {@code "direct"}, {@code "forward"} (plain forwarding), {@code "tunnel"} (OkHttp's
   *     CONNECT tunnel for https) or {@code "socket-tunnel"} (our CONNECT tunnel for http)
   */
  public static String route(ProxySettings proxy, HttpUrl apiBase) {
    if (proxy == null) {
      return "direct";
    }
    if (apiBase.isHttps()) {
      return "tunnel";
    }
    return proxy.sslType() == ProxySettings.SslType.TUNNEL ? "socket-tunnel" : "forward";
  }

  /** The client. {@code trustManager} may be {@code null} for the platform's trust. */
  public static OkHttpClient create(
      HttpUrl apiBase,
      Duration connectTimeout,
      Duration readTimeout,
      ProxySettings proxy,
      X509TrustManager trustManager,
      RateLimiter limiter,
      HttpLog log,
      String userAgent) {
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .retryOnConnectionFailure(false)
            .addInterceptor(log.callInterceptor())
            .addInterceptor(throttle(limiter))
            .eventListener(log.eventListener());
    if (trustManager != null) {
      try {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trustManager}, null);
        b.sslSocketFactory(tls.getSocketFactory(), trustManager);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Cannot set up TLS with the given trust manager", e);
      }
    }
    if (proxy != null) {
      ProxyAuthenticator authenticator = new ProxyAuthenticator(proxy);
      Proxy forward = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port()));
      switch (route(proxy, apiBase)) {
        case "socket-tunnel":
          b.proxy(Proxy.NO_PROXY)
              .socketFactory(new TunnelSocketFactory(proxy.host(), proxy.port(), authenticator, userAgent))
              .dns(TunnelSocketFactory.DNS);
          break;
        case "forward":
          b.proxy(forward)
              .proxyAuthenticator(authenticator)
              .addInterceptor(preemptiveProxyAuth(authenticator));
          break;
        default:
          b.proxy(forward).proxyAuthenticator(authenticator);
      }
    }
    // After the proxy's interceptor, so the log shows the Proxy-Authorization header (masked).
    b.addNetworkInterceptor(log.wireInterceptor());
    return b.build();
  }

  /** Waits for the throttle before each call (each retry is a call of its own). */
  private static Interceptor throttle(RateLimiter limiter) {
    return chain -> {
      Request request = chain.request();
      long waited;
      try {
        waited = limiter.acquire(request.method(), request.url().encodedPath());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Interrupted while waiting for the throttle");
      }
      HttpLog.CallTag tag = request.tag(HttpLog.CallTag.class);
      if (tag != null) {
        tag.throttledNanos += waited;
      }
      return chain.proceed(request);
    };
  }

  /**
   * Sends credentials with forwarded (plain http) requests up front: Basic, or Digest once a
   * challenge is known, so each request is not first refused with a 407. An application
   * interceptor, so that the authenticator sees what was sent; never for https URLs, whose
   * headers the proxy would not see but the server would.
   */
  private static Interceptor preemptiveProxyAuth(ProxyAuthenticator authenticator) {
    return chain -> {
      Request request = chain.request();
      if (!request.url().isHttps() && request.header("Proxy-Authorization") == null) {
        String header = authenticator.preemptiveHeader(request.method(), request.url().toString());
        if (header != null) {
          request = request.newBuilder().header("Proxy-Authorization", header).build();
        }
      }
      return chain.proceed(request);
    };
  }
}
