package dev.redirectguard.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made in memory for the doctor's https
 * server: Java 8's public API can make the key pair and the signature but has no certificate
 * builder (keytool's is internal, and a JRE may have no keytool), so the X.509 structure (RFC
 * 5280) is written here in DER. ECDSA on P-256 with SHA-256: in every JDK from 8 on and allowed by
 * every crypto policy; its key takes a tenth of the CPU of an RSA 2048 key, which on a busy host
 * took seconds. Valid from a day ago to a day ahead.
 */
final class SelfSignedCertificate {
    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
    private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);

    final byte[] der;
    private final KeyPair keys;

    private SelfSignedCertificate(byte[] der, KeyPair keys) {
        this.der = der;
        this.keys = keys;
    }

    static SelfSignedCertificate generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        byte[] algorithm = seq(ECDSA_WITH_SHA256); // RFC 5758: no parameters
        byte[] name = seq(set(seq(COMMON_NAME, tlv(0x0c, "redirect-guard doctor".getBytes("UTF-8")))));
        long now = System.currentTimeMillis();
        byte[] validity = seq(time(now - 86400000L), time(now + 86400000L));
        byte[] altNames = seq(tlv(0x82, "localhost".getBytes("US-ASCII")), tlv(0x87, new byte[] {127, 0, 0, 1}));
        byte[] extensions = tlv(0xa3, seq(seq(SUBJECT_ALT_NAME, tlv(0x04, altNames))));
        byte[] serial = tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
        byte[] tbs = seq(tlv(0xa0, tlv(0x02, new byte[] {2})), serial, algorithm, name, validity, name,
                keys.getPublic().getEncoded(), extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA"); // DER (r, s), as X.509 wants it
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return new SelfSignedCertificate(seq(tbs, algorithm, tlv(0x03, bits)), keys);
    }

    /** A server context that presents this certificate. */
    SSLContext serverContext() throws Exception {
        Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        char[] password = "doctor".toCharArray();
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setKeyEntry("doctor", keys.getPrivate(), password, new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static byte[] time(long millis) throws Exception {
        SimpleDateFormat f = new SimpleDateFormat("yyMMddHHmmss'Z'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return tlv(0x17, f.format(new Date(millis)).getBytes("US-ASCII")); // UTCTime: valid until 2049
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int shift = 28;
            while (shift > 0 && (v >>> shift) == 0) {
                shift -= 7;
            }
            for (; shift > 0; shift -= 7) {
                b.write(0x80 | ((v >>> shift) & 0x7f));
            }
            b.write(v & 0x7f);
        }
        return tlv(0x06, b.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.write(p, 0, p.length);
        }
        return b.toByteArray();
    }

    /** Tag, DER length, value. */
    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        int n = value.length;
        if (n < 0x80) {
            b.write(n);
        } else if (n < 0x100) {
            b.write(0x81);
            b.write(n);
        } else if (n < 0x10000) {
            b.write(0x82);
            b.write(n >> 8);
            b.write(n);
        } else {
            b.write(0x83);
            b.write(n >> 16);
            b.write(n >> 8);
            b.write(n);
        }
        b.write(value, 0, n);
        return b.toByteArray();
    }
}
