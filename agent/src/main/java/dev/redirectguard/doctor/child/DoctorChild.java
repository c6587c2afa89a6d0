package dev.redirectguard.doctor.child;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The program the {@code doctor} command runs in child JVMs of the Java it examines:
 * {@code java [-javaagent:...] -cp redirect-guard-agent.jar dev.redirectguard.doctor.child.DoctorChild <cases|->}.
 * It names no other agent package (they live in the agent's own class loader) and is class file
 * 52; the HttpClient cases run in {@code HttpClientCases}, loaded by name on Java 11+ only.
 *
 * <p>Input (a file, or "-" for standard input, so the JVM can start while the doctor is still
 * preparing), tab-separated lines, the caller line first, a trust line before any https case:
 * <pre>
 * caller  &lt;Authorization value&gt;  &lt;Cookie value&gt;  &lt;X-Custom value&gt;  &lt;body&gt;
 * trust   &lt;file with the doctor's certificate (DER)&gt;           (optional: the https cases)
 * case    &lt;id&gt;  &lt;client&gt;  &lt;method&gt;  &lt;body&gt;  &lt;redirects&gt;  &lt;url&gt;
 * </pre>
 * Output on standard output, tab-separated: first
 * {@code java <java.version> <java.home> <javaagent: yes|no>}, then one
 * {@code result <id> <status code | exception class | unavailable> <detail>} per case.
 */
public final class DoctorChild {
    private DoctorChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: DoctorChild <cases file | ->");
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println("java\t" + System.getProperty("java.version") + '\t' + System.getProperty("java.home") + '\t'
                + (javaagentOption() ? "yes" : "no"));
        out.flush();

        // Each case is sent as soon as its line arrives, the two clients at once: the doctor sends
        // the https cases last, when its certificate is ready.
        InputStream in = args[0].equals("-") ? System.in : new FileInputStream(args[0]);
        CallerHeaders headers = null;
        SSLContext tls = null;
        CaseRunner urlConnection = new UrlConnectionCases();
        CaseRunner httpClient = null;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, CallerHeaders.UTF_8));
        try {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f[0].equals("caller") && f.length == 5) {
                    headers = new CallerHeaders(f[1], f[2], f[3], f[4]);
                } else if (f[0].equals("trust") && f.length == 2) {
                    tls = trusting(f[1]);
                } else if (f[0].equals("case") && headers != null) {
                    DoctorCase c = DoctorCase.parse(f);
                    if (c.client.equals(UrlConnectionCases.CLIENT)) {
                        urlConnection.submit(c, headers, tls, out);
                    } else if (javaVersion() >= 11) {
                        if (httpClient == null) {
                            httpClient = (CaseRunner) Class.forName("dev.redirectguard.doctor.child.HttpClientCases")
                                    .getDeclaredConstructor().newInstance();
                        }
                        httpClient.submit(c, headers, tls, out);
                    } else {
                        result(out, c.id, "unavailable", "java.net.http exists from Java 11 on");
                    }
                } else {
                    throw new IllegalArgumentException("unexpected input line: " + f[0]);
                }
            }
        } finally {
            lines.close();
            urlConnection.finish();
            if (httpClient != null) {
                httpClient.finish();
            }
        }
        out.flush();
        // Ends here even if a client left a thread running; the agent's log is flushed on the way out.
        System.exit(0);
    }

    static ThreadFactory threads(final String name) {
        return new ThreadFactory() {
            private int n;

            @Override
            public synchronized Thread newThread(Runnable r) {
                return new Thread(r, name + "-" + (++n));
            }
        };
    }

    /**
     * Whether this JVM was started with a -javaagent option: the doctor reports a launcher or
     * wrapper that dropped it instead of only seeing that the agent changed nothing.
     */
    private static boolean javaagentOption() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-javaagent:")) {
                return true;
            }
        }
        return false;
    }

    private static int javaVersion() {
        String v = System.getProperty("java.specification.version");
        return v.startsWith("1.") ? Integer.parseInt(v.substring(2)) : Integer.parseInt(v);
    }

    /** Trusts exactly the doctor's certificate; the JVM's default trust store is left alone. */
    private static SSLContext trusting(String certificateFile) throws Exception {
        Certificate cert;
        InputStream in = new FileInputStream(certificateFile);
        try {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        } finally {
            in.close();
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("redirect-guard-doctor", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static void result(PrintStream out, String id, String outcome, String detail) {
        String d = detail == null ? "" : detail.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
        out.println("result\t" + id + '\t' + outcome + '\t' + d);
        out.flush();
    }

    static void exception(PrintStream out, String id, Throwable t) {
        result(out, id, t.getClass().getName(), t.getMessage());
    }

    static byte[] drain(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) != -1; ) {
                buf.write(chunk, 0, n);
            }
        } finally {
            in.close();
        }
        return buf.toByteArray();
    }

    static InputStream bytes(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
