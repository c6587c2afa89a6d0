package dev.redirectguard.cli;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@code java -jar redirect-guard-agent.jar doctor [--java /path/to/bin/java]}: a self-test of a
 * JDK build as it runs on this host. Child JVMs of that Java send each rule's cases with both
 * clients to loopback servers of this JVM, three times at once: without the agent, in audit and
 * in enforce; the report says per rule what the JDK does, whether audit changed nothing and
 * logged each violation, and whether enforce made every case what RFC 9110 asks.
 * Exit 0 when all of it holds, 1 when not, 2 on a usage error.
 */
public final class Doctor {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** A failure bound for the children, never reached by a working JVM (the whole doctor takes seconds). */
    private static final long CHILD_DEADLINE_SECONDS = 120;
    private static final String CERTIFICATE = "doctor.crt";

    private Doctor() {
    }

    /** @param args {@code args[0]} is "doctor" */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        String java = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                usage(out);
                return OK;
            } else if (a.equals("--java") && i + 1 < args.length) {
                java = args[++i];
            } else if (a.startsWith("--java=")) {
                java = a.substring("--java=".length());
            } else if (a.equals("--java")) {
                err.println("redirect-guard doctor: --java needs the path of a java executable (try doctor --help)");
                return USAGE;
            } else {
                err.println("redirect-guard doctor: unknown argument '" + a + "' (try doctor --help)");
                return USAGE;
            }
        }
        File javaFile = java != null ? new File(java) : defaultJava();
        if (!javaFile.isFile() || !javaFile.canExecute()) {
            err.println("redirect-guard doctor: --java " + javaFile + " is not an executable file");
            return USAGE;
        }
        File jar = agentJar();
        if (jar == null) {
            err.println("redirect-guard doctor: cannot find the agent jar; run it as java -jar redirect-guard-agent.jar doctor");
            return FAILED;
        }
        try {
            return examine(javaFile.getAbsolutePath(), jar, out, start);
        } catch (Exception e) {
            err.println("redirect-guard doctor: " + e);
            return FAILED;
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: doctor [--java /path/to/bin/java]");
        out.println("  A self-test of a JDK build as it runs on this host (default: the Java running this command).");
        out.println("  Child JVMs of that Java send each rule's cases with HttpURLConnection and, from Java 11 on,");
        out.println("  HttpClient (HTTP/1.1) to servers this command starts on 127.0.0.1 (http, https with a");
        out.println("  certificate made in memory), three times at once: without the agent, with mode=audit and");
        out.println("  with mode=enforce (settings from this command only: the children get no JAVA_TOOL_OPTIONS,");
        out.println("  JDK_JAVA_OPTIONS, _JAVA_OPTIONS or REDIRECTGUARD_* variables). Per rule it prints what the JDK");
        out.println("  does without the agent, whether audit changed nothing and logged each violation, and whether");
        out.println("  enforce made every case what RFC 9110 asks. Takes a few seconds; nothing leaves the host.");
        out.println("  Exit 0 when every rule holds, 1 when one does not, 2 on a usage error.");
    }

    private static int examine(String java, File jar, PrintStream out, long start) throws Exception {
        final File dir = Files.createTempDirectory("redirect-guard-doctor").toFile();
        if (dir.getAbsolutePath().indexOf(',') >= 0) {
            throw new IOException("the temporary directory " + dir + " has a comma in its path, which the agent's"
                    + " log setting cannot take; set -Djava.io.tmpdir");
        }
        // The https server's certificate and context take the longest to make (a second idle, many on
        // a busy host): on a thread of their own from the start, while the children start and send
        // the http cases. The https cases follow when it is ready.
        FutureTask<SSLContext> tls = new FutureTask<SSLContext>(new Callable<SSLContext>() {
            @Override
            public SSLContext call() throws Exception {
                SelfSignedCertificate cert = SelfSignedCertificate.generate();
                write(new File(dir, CERTIFICATE), cert.der);
                return cert.serverContext();
            }
        });
        Thread tlsThread = new Thread(tls, "redirect-guard-doctor-tls");
        tlsThread.setDaemon(true);
        tlsThread.start();

        List<DoctorCase> all = DoctorCase.all();
        DoctorServers servers = null;
        try {
            servers = DoctorServers.start(all);
            DoctorRun[] runs = {DoctorRun.start(java, jar, "none", null, dir),
                DoctorRun.start(java, jar, "audit", "audit", dir), DoctorRun.start(java, jar, "enforce", "enforce", dir)};
            CallerValues caller = CallerValues.random();
            for (DoctorRun run : runs) {
                List<String> lines = new ArrayList<String>();
                lines.add(caller.line());
                for (DoctorCase c : all) {
                    if (c.target != DoctorCase.Target.HTTPS_TO_HTTP) {
                        lines.add(c.line(servers.startUrl(run.name, c, caller.query)));
                    }
                }
                run.feed(lines, false);
            }
            String tlsProblem = null;
            try {
                servers.startTls(tls.get());
            } catch (ExecutionException e) {
                tlsProblem = e.getCause().toString();
            } catch (IOException e) {
                tlsProblem = e.toString();
            }
            List<DoctorCase> cases = new ArrayList<DoctorCase>();
            for (DoctorCase c : all) {
                if (servers.tls() || c.target != DoctorCase.Target.HTTPS_TO_HTTP) {
                    cases.add(c);
                }
            }
            for (DoctorRun run : runs) {
                List<String> lines = new ArrayList<String>();
                if (servers.tls()) {
                    lines.add("trust\t" + new File(dir, CERTIFICATE).getAbsolutePath());
                    for (DoctorCase c : all) {
                        if (c.target == DoctorCase.Target.HTTPS_TO_HTTP) {
                            lines.add(c.line(servers.startUrl(run.name, c, caller.query)));
                        }
                    }
                }
                run.feed(lines, true);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_DEADLINE_SECONDS);
            for (DoctorRun run : runs) {
                run.await(deadline);
            }
            int code = new DoctorReport(cases, servers, caller, runs[0], runs[1], runs[2], tlsProblem)
                    .print(out, java, start, dir.getAbsolutePath());
            if (code == OK) {
                delete(dir);
            }
            return code;
        } catch (Exception e) {
            delete(dir); // nothing in it to read: the exception says what went wrong
            throw e;
        } finally {
            if (servers != null) {
                servers.close();
            }
        }
    }

    private static File defaultJava() {
        File bin = new File(System.getProperty("java.home"), "bin");
        File exe = new File(bin, "java.exe");
        return exe.isFile() ? exe : new File(bin, "java");
    }

    /** The jar this class was loaded from; else the one on the class path (java -jar puts exactly it there). */
    static File agentJar() {
        try {
            CodeSource source = Doctor.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                File f = new File(source.getLocation().toURI());
                if (f.isFile()) {
                    return f;
                }
            }
        } catch (Exception e) {
            // fall back to the class path
        }
        String classPath = System.getProperty("java.class.path", "");
        File f = new File(classPath);
        return classPath.indexOf(File.pathSeparatorChar) < 0 && f.isFile() ? f : null;
    }

    private static void write(File f, byte[] bytes) throws IOException {
        OutputStream o = new FileOutputStream(f);
        try {
            o.write(bytes);
        } finally {
            o.close();
        }
    }

    private static void delete(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                delete(c);
            }
        }
        f.delete();
    }
}
