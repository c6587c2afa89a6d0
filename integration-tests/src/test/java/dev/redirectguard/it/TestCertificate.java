package dev.redirectguard.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1/localhost made with keytool at test time: a PKCS12
 * key store for the https origins and a PKCS12 trust store (certificate only) for child JVMs.
 */
record TestCertificate(Path keyStore, Path trustStore, String password) {
    private static final String ALIAS = "redirect-guard-it";

    static TestCertificate generate(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path trustStore = dir.resolve("truststore.p12");
        for (Path p : List.of(keyStore, cert, trustStore)) {
            Files.deleteIfExists(p);
        }
        String pw = "changeit";
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", pw, "-keypass", pw);
        keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", pw,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", ALIAS, "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", pw);
        return new TestCertificate(keyStore, trustStore, pw);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + cmd + "\n" + out);
        }
    }

    SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** The certificate and its private key (PKCS#8) as PEM files, for servers outside the JVM (nginx). */
    void writePem(Path certificate, Path privateKey) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(ks.getCertificate(ALIAS).getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n"
                + pem.encodeToString(ks.getKey(ALIAS, password.toCharArray()).getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    /** JDK 8 does not guess the store type from the file: name it. */
    List<String> childJvmOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djavax.net.ssl.trustStorePassword=" + password,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }
}
