package dev.sluice.stripe.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An outbound HTTP proxy every Stripe call of a connection goes through: its address, how to
 * authenticate to it, and when to tunnel.
 *
 * <pre>{@code
 * ProxySettings proxy = ProxySettings.builder()
 *     .host("proxy.corp.example").port(3128)
 *     .authScheme(ProxySettings.AuthScheme.DIGEST).user("svc-stripe").password(secret)
 *     .build();
 * StripeConnection stripe = StripeConnection.builder().apiKey(key).proxy(proxy).build();
 * }</pre>
 *
 * <p>Immutable. {@link #toString()} never shows the password.
 */
public final class ProxySettings {

  /** How the connection proves itself to the proxy (on its {@code 407} answers). */
  public enum AuthScheme {
    /** No credentials. */
    NONE,
    /** {@code Proxy-Authorization: Basic}, sent with the first request. */
    BASIC,
    /** HTTP Digest (RFC 7616), {@code qop=auth}, MD5 or SHA-256, answered to the proxy's challenge. */
    DIGEST
  }

  /** When traffic to Stripe is encrypted and whether it goes through a {@code CONNECT} tunnel. */
  public enum SslType {
    /** A {@code CONNECT} tunnel for an https API base; plain forwarding for an http one. The default. */
    AUTO,
    /** TLS always: an https API base through a {@code CONNECT} tunnel; an http API base is refused. */
    ALWAYS,
    /** No TLS: plain forwarding of an http API base; an https API base is refused. */
    NEVER,
    /** Always a {@code CONNECT} tunnel, for http API bases as well as https ones. */
    TUNNEL
  }

  private final String host;
  private final int port;
  private final AuthScheme authScheme;
  private final String user;
  private final String password;
  private final SslType sslType;

  private ProxySettings(Builder b) {
    host = b.host;
    port = b.port;
    authScheme = b.authScheme;
    user = b.user;
    password = b.password;
    sslType = b.sslType;
  }

  /** Returns a builder for new settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these settings. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The proxy's host name or address. */
  public String host() {
    return host;
  }

  /** The proxy's port. */
  public int port() {
    return port;
  }

  /** How to authenticate to the proxy. */
  public AuthScheme authScheme() {
    return authScheme;
  }

  /** The proxy user, or {@code null} with {@link AuthScheme#NONE}. */
  public String user() {
    return user;
  }

  /** The proxy password, or {@code null} with {@link AuthScheme#NONE}. Never logged. */
  public String password() {
    return password;
  }

  /** When to use TLS and tunnels. */
  public SslType sslType() {
    return sslType;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProxySettings p
        && host.equals(p.host)
        && port == p.port
        && authScheme == p.authScheme
        && Objects.equals(user, p.user)
        && Objects.equals(password, p.password)
        && sslType == p.sslType;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, authScheme, user, sslType);
  }

  /** Describes the proxy without its password. */
  @Override
  public String toString() {
    return "ProxySettings{" + host + ":" + port + ", authScheme=" + authScheme
        + (user == null ? "" : ", user=" + user + ", password=****")
        + ", sslType=" + sslType + "}";
  }

  /** Builds {@link ProxySettings}; setters check their argument, {@link #build()} the rest. */
  public static final class Builder {
    private String host;
    private int port;
    private AuthScheme authScheme = AuthScheme.NONE;
    private String user;
    private String password;
    private SslType sslType = SslType.AUTO;

    private Builder() {}

    private Builder(ProxySettings p) {
      host = p.host;
      port = p.port;
      authScheme = p.authScheme;
      user = p.user;
      password = p.password;
      sslType = p.sslType;
    }

    /** The proxy's host name or address. Required. */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host == null");
      if (host.isBlank() || host.contains("/") || host.contains(" ")) {
        throw new IllegalArgumentException("host '" + host + "' is not a host name or address");
      }
      this.host = host;
      return this;
    }

    /** The proxy's port, 1 to 65535. Required. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** How to authenticate to the proxy. Default {@link AuthScheme#NONE}. */
    public Builder authScheme(AuthScheme scheme) {
      this.authScheme = Objects.requireNonNull(scheme, "authScheme == null");
      return this;
    }

    /** The proxy user; required with {@link AuthScheme#BASIC} and {@link AuthScheme#DIGEST}. */
    public Builder user(String user) {
      Objects.requireNonNull(user, "user == null");
      if (user.contains(":") && authScheme == AuthScheme.BASIC) {
        throw new IllegalArgumentException("user must not contain ':' with Basic authentication");
      }
      this.user = user;
      return this;
    }

    /** The proxy password; required with {@link AuthScheme#BASIC} and {@link AuthScheme#DIGEST}. */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password == null");
      return this;
    }

    /** Shorthand for {@link AuthScheme#BASIC} with this user and password. */
    public Builder basicAuth(String user, String password) {
      return authScheme(AuthScheme.BASIC).user(user).password(password);
    }

    /** Shorthand for {@link AuthScheme#DIGEST} with this user and password. */
    public Builder digestAuth(String user, String password) {
      return authScheme(AuthScheme.DIGEST).user(user).password(password);
    }

    /** When to use TLS and tunnels. Default {@link SslType#AUTO}. */
    public Builder sslType(SslType sslType) {
      this.sslType = Objects.requireNonNull(sslType, "sslType == null");
      return this;
    }

    /**
     * Returns the settings.
     *
     * @throws IllegalStateException listing every missing or contradictory setting: no host, no
     *     port, a user or password missing for BASIC or DIGEST, or given with NONE
     */
    public ProxySettings build() {
      List<String> problems = new ArrayList<>();
      if (host == null) {
        problems.add("host is not set");
      }
      if (port == 0) {
        problems.add("port is not set");
      }
      if (authScheme == AuthScheme.NONE) {
        if (user != null || password != null) {
          problems.add("a user or password is set but authScheme is NONE: choose BASIC or DIGEST");
        }
      } else {
        if (user == null) {
          problems.add("user is not set (authScheme " + authScheme + ")");
        } else if (authScheme == AuthScheme.BASIC && user.contains(":")) {
          problems.add("user must not contain ':' with Basic authentication");
        }
        if (password == null) {
          problems.add("password is not set (authScheme " + authScheme + ")");
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalStateException("Invalid proxy settings: " + String.join("; ", problems));
      }
      return new ProxySettings(this);
    }
  }
}
