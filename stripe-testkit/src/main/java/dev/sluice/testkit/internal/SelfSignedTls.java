package dev.sluice.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at run time with the
 * JDK alone (an EC P-256 key, the X.509 structure written in DER here), with the server and client
 * TLS contexts that use it.
 */
public final class SelfSignedTls {
  private final X509Certificate certificate;
  private final SSLContext serverContext;
  private final SSLContext clientContext;
  private final X509TrustManager trustManager;

  private SelfSignedTls(X509Certificate certificate, SSLContext server, SSLContext client,
      X509TrustManager trustManager) {
    this.certificate = certificate;
    this.serverContext = server;
    this.clientContext = client;
    this.trustManager = trustManager;
  }

  /** Makes a new key and certificate, valid from an hour ago for 30 days. */
  public static SelfSignedTls create() {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(256);
      KeyPair keys = kpg.generateKeyPair();
      X509Certificate cert = certificate(keys);
      char[] password = "emulator".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("emulator", keys.getPrivate(), password, new Certificate[] {cert});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext server = SSLContext.getInstance("TLS");
      server.init(kmf.getKeyManagers(), null, new SecureRandom());

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("emulator", cert);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      X509TrustManager tm = null;
      for (TrustManager m : tmf.getTrustManagers()) {
        if (m instanceof X509TrustManager) {
          tm = (X509TrustManager) m;
        }
      }
      SSLContext client = SSLContext.getInstance("TLS");
      client.init(null, new TrustManager[] {tm}, new SecureRandom());
      return new SelfSignedTls(cert, server, client, tm);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("Could not make a self-signed certificate: " + e, e);
    }
  }

  /** The certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The TLS context a server uses. */
  public SSLContext serverContext() {
    return serverContext;
  }

  /** A TLS context trusting only this certificate. */
  public SSLContext clientContext() {
    return clientContext;
  }

  /** A trust manager trusting only this certificate. */
  public X509TrustManager trustManager() {
    return trustManager;
  }

  private static X509Certificate certificate(KeyPair keys) throws GeneralSecurityException {
    byte[] ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));
    byte[] name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, utf8("localhost")))));
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    byte[] validity = seq(time(now.minus(1, ChronoUnit.HOURS)), time(now.plus(30, ChronoUnit.DAYS)));
    byte[] san = seq(tlv(0x82, utf8("localhost")), tlv(0x87, new byte[] {127, 0, 0, 1}));
    byte[] extensions = tlv(0xa3, seq(
        seq(oid("2.5.29.17"), tlv(0x04, san)),
        seq(oid("2.5.29.19"), tlv(0x04, seq()))));
    byte[] serial = tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
    byte[] tbs = seq(
        tlv(0xa0, tlv(0x02, new byte[] {2})),
        serial,
        ecdsaWithSha256,
        name,
        validity,
        name,
        keys.getPublic().getEncoded(),
        extensions);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] signature = signer.sign();
    byte[] bits = new byte[signature.length + 1];
    System.arraycopy(signature, 0, bits, 1, signature.length);
    byte[] der = seq(tbs, ecdsaWithSha256, tlv(0x03, bits));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] time(Instant t) {
    String s = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
    return tlv(0x17, s.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] oid(String dotted) {
    String[] p = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
    for (int i = 2; i < p.length; i++) {
      long v = Long.parseLong(p[i]);
      byte[] tmp = new byte[10];
      int n = 0;
      do {
        tmp[n++] = (byte) (v & 0x7f);
        v >>>= 7;
      } while (v != 0);
      for (int j = n - 1; j >= 0; j--) {
        out.write(tmp[j] | (j > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = value.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
