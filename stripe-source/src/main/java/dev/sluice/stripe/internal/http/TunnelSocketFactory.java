package dev.sluice.stripe.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.SocketFactory;
import okhttp3.Dns;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sockets that reach their target through an HTTP proxy's {@code CONNECT} tunnel, for the proxy
 * SSL type {@code TUNNEL} with a plain http API base: OkHttp tunnels only https targets, so for
 * http ones it is given these sockets and no proxy, and sees a direct connection.
 *
 * <p>The target's host name is never resolved locally (the proxy resolves it, as with OkHttp's
 * own tunnels): {@link #DNS} hands OkHttp a placeholder address that carries the name, and the
 * socket asks the proxy for {@code CONNECT name:port}. A {@code 407} is answered through the
 * {@link ProxyAuthenticator}, on the same connection, or a new one if the proxy closes it.
 */
public final class TunnelSocketFactory extends SocketFactory {
  /** Resolves nothing: an address of {@code 0.0.0.0} named after the host, for the proxy to resolve. */
  public static final Dns DNS =
      hostname -> List.of(InetAddress.getByAddress(hostname, new byte[] {0, 0, 0, 0}));

  private static final int MAX_ATTEMPTS = 5;
  private static final int MAX_HEAD = 64 * 1024;

  private final String proxyHost;
  private final int proxyPort;
  private final ProxyAuthenticator authenticator;
  private final String userAgent;

  /**
   * Sockets tunnelling through the proxy at {@code proxyHost:proxyPort}, authenticating with
   * {@code authenticator} ({@code null} for none).
   */
  public TunnelSocketFactory(String proxyHost, int proxyPort, ProxyAuthenticator authenticator, String userAgent) {
    this.proxyHost = proxyHost;
    this.proxyPort = proxyPort;
    this.authenticator = authenticator;
    this.userAgent = userAgent;
  }

  @Override
  public Socket createSocket() {
    return new TunnelSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return createSocket(address, port);
  }

  /** Thrown when the proxy refuses the tunnel; not worth retrying. */
  public static final class TunnelRefusedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    TunnelRefusedException(String message, int status) {
      super(message);
      this.status = status;
    }

    /** The proxy's HTTP status. */
    public int status() {
      return status;
    }
  }

  /** A socket to the proxy that, once connected, is a tunnel to the target. */
  private final class TunnelSocket extends Socket {
    private Socket delegate;
    private InetSocketAddress target;
    private int soTimeout;
    private boolean tcpNoDelay = true;
    private boolean closed;

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override
    public synchronized void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress address)) {
        throw new IllegalArgumentException("Unsupported address " + endpoint);
      }
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      target = address;
      String authority = ProxyAuthenticator.authority(address.getHostString(), address.getPort());
      Request connect =
          new Request.Builder()
              .url("http://" + authority + "/")
              .method("CONNECT", null)
              .header("Host", authority)
              .header("User-Agent", userAgent)
              .header("Proxy-Connection", "Keep-Alive")
              .build();
      String preemptive = authenticator == null ? null : authenticator.preemptiveHeader("CONNECT", authority);
      if (preemptive != null) {
        connect = connect.newBuilder().header("Proxy-Authorization", preemptive).build();
      }
      Socket socket = null;
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(tcpNoDelay);
          socket.setSoTimeout(timeout);
          try {
            InetSocketAddress proxy = new InetSocketAddress(proxyHost, proxyPort);
            if (proxy.isUnresolved()) {
              throw new UnknownHostException(proxyHost);
            }
            socket.connect(proxy, timeout);
          } catch (IOException e) {
            socket.close();
            throw e;
          }
        }
        Response answer;
        try {
          answer = exchange(socket, connect, authority);
        } catch (IOException e) {
          socket.close();
          throw e;
        }
        if (answer.code() >= 200 && answer.code() < 300) {
          socket.setSoTimeout(soTimeout);
          delegate = socket;
          return;
        }
        Request next =
            answer.code() == 407 && authenticator != null ? authenticator.authenticate(null, answer) : null;
        if (next == null) {
          socket.close();
          throw new TunnelRefusedException(
              "The proxy " + ProxyAuthenticator.authority(proxyHost, proxyPort) + " refused CONNECT "
                  + authority + ": HTTP " + answer.code() + " " + answer.message()
                  + (answer.code() == 407 ? " (proxy authentication failed)" : ""),
              answer.code());
        }
        connect = next;
        if ("close".equalsIgnoreCase(answer.header("Connection"))
            || "close".equalsIgnoreCase(answer.header("Proxy-Connection"))
            || answer.protocol() == Protocol.HTTP_1_0) {
          socket.close();
          socket = null;
        }
      }
      if (socket != null) {
        socket.close();
      }
      throw new TunnelRefusedException(
          "The proxy " + ProxyAuthenticator.authority(proxyHost, proxyPort) + " kept refusing CONNECT "
              + authority + " after " + MAX_ATTEMPTS + " attempts", 407);
    }

    /** Sends the CONNECT request and reads the proxy's answer head (and skips its body). */
    private Response exchange(Socket socket, Request connect, String authority) throws IOException {
      StringBuilder head = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\n");
      Headers headers = connect.headers();
      for (int i = 0; i < headers.size(); i++) {
        head.append(headers.name(i)).append(": ").append(headers.value(i)).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = readLine(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("The proxy answered CONNECT with '" + statusLine + "', not HTTP");
      }
      int code;
      try {
        code = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("The proxy answered CONNECT with '" + statusLine + "'", e);
      }
      Headers.Builder answerHeaders = new Headers.Builder();
      int size = statusLine.length();
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        size += line.length();
        if (size > MAX_HEAD) {
          throw new IOException("The proxy's answer to CONNECT has too long a head");
        }
        int colon = line.indexOf(':');
        if (colon > 0) {
          answerHeaders.addUnsafeNonAscii(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      }
      Headers h = answerHeaders.build();
      if (code < 200 || code >= 300) {
        String length = h.get("Content-Length");
        if (length != null) {
          long n = Long.parseLong(length.trim());
          while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
              if (in.read() < 0) {
                break;
              }
              skipped = 1;
            }
            n -= skipped;
          }
        }
      }
      return new Response.Builder()
          .request(connect)
          .protocol(parts[0].equals("HTTP/1.0") ? Protocol.HTTP_1_0 : Protocol.HTTP_1_1)
          .code(code)
          .message(parts.length > 2 ? parts[2] : "")
          .headers(h)
          .build();
    }

    private String readLine(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("The proxy closed the connection while answering CONNECT");
        }
        if (line.size() > MAX_HEAD) {
          throw new IOException("The proxy's answer to CONNECT has too long a line");
        }
        line.write(b);
      }
      String s = line.toString(StandardCharsets.ISO_8859_1);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private Socket connected() throws SocketException {
      if (delegate == null) {
        throw new SocketException(closed ? "Socket is closed" : "Socket is not connected");
      }
      return delegate;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return connected().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return connected().getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
      closed = true;
      if (delegate != null) {
        delegate.close();
      }
      super.close();
    }

    @Override
    public boolean isConnected() {
      return delegate != null && delegate.isConnected();
    }

    @Override
    public boolean isBound() {
      return delegate != null && delegate.isBound();
    }

    @Override
    public boolean isClosed() {
      return closed || (delegate != null && delegate.isClosed());
    }

    @Override
    public boolean isInputShutdown() {
      return delegate != null && delegate.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
      return delegate != null && delegate.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
      connected().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
      connected().shutdownOutput();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
      soTimeout = timeout;
      if (delegate != null) {
        delegate.setSoTimeout(timeout);
      }
    }

    @Override
    public synchronized int getSoTimeout() {
      return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
      tcpNoDelay = on;
      if (delegate != null) {
        delegate.setTcpNoDelay(on);
      }
    }

    @Override
    public boolean getTcpNoDelay() {
      return tcpNoDelay;
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
      if (delegate != null) {
        delegate.setKeepAlive(on);
      }
    }

    @Override
    public InetAddress getInetAddress() {
      return target == null ? null : target.getAddress();
    }

    @Override
    public int getPort() {
      return target == null ? 0 : target.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
      return target;
    }

    @Override
    public InetAddress getLocalAddress() {
      return delegate == null ? null : delegate.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
      return delegate == null ? -1 : delegate.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
      return delegate == null ? null : delegate.getLocalSocketAddress();
    }

    @Override
    public String toString() {
      return "TunnelSocket[to " + target + " via " + ProxyAuthenticator.authority(proxyHost, proxyPort) + "]";
    }
  }
}
