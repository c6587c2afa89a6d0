package dev.redirectguard.cli;

import java.io.File;
import java.io.PrintStream;
import dev.redirectguard.agent.Version;
import dev.redirectguard.rewrite.RewriteCheck;
import dev.redirectguard.rewrite.Rewrites;

/**
 * {@code java -jar redirect-guard-agent.jar <command>}. Exit codes, for scripts: 0 done,
 * 1 the operation failed (message on stderr), 2 usage error, 3 the agent is not loaded in
 * the target JVM (status, mode).
 */
public final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_LOADED = 3;

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || isHelp(args[0]) || args[0].equals("help")) {
            if (args.length > 1 && !isHelp(args[1])) {
                return run(new String[] {args[1], "--help"}, out, err);
            }
            usage(out);
            return OK;
        }
        String command = args[0];
        if (command.equals("check")) {
            if (args.length > 1 && isHelp(args[1])) {
                out.println("usage: check");
                out.println("  Rewrites this JVM's HTTP classes in memory and verifies them with ASM's analyzer, then loads");
                out.println("  them rewritten in a child JVM of this Java with HotSpot verifying (frames included).");
                out.println("  Installs nothing in any running JVM.");
                out.println("  Exit 0 when every class would be rewritten and passes verification, else 1.");
                return OK;
            }
            return check(out);
        }
        if (command.equals("report")) {
            return dev.redirectguard.report.ReportCommand.run(args, System.in, out, err);
        }
        if (command.equals("doctor")) {
            return dev.redirectguard.cli.Doctor.run(args, out, err);
        }
        if (command.equals("version")) {
            out.println(version());
            return OK;
        }
        if (command.equals("list") || command.equals("attach") || command.equals("status") || command.equals("mode")
                || command.equals("set")) {
            return attachCommand(args, out, err);
        }
        err.println("redirect-guard: unknown command '" + command + "' (try --help)");
        return USAGE;
    }

    static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    private static void usage(PrintStream out) {
        out.println("redirect-guard " + version());
        out.println("Attach at start:  java -javaagent:redirect-guard-agent.jar[=mode=audit|enforce|off,"
                + "log=stderr|stdout|FILE,legacyPostRedirect=get|preserve,stripOnCrossOrigin=H1;H2,jmx=off|SECONDS,"
                + "logMaxBytes=N,logFiles=N,logInterval=SECONDS,logRate=N,enforceRules=ID;ID,enforceTargets=HOST;*.DOMAIN,"
                + "enforceCallers=PACKAGE.;CLASS,config=FILE] ...");
        out.println("Commands (each takes --help):");
        out.println("  list                     local JVMs: pid, main class, whether the agent is loaded");
        out.println("  attach <pid> [k=v,...]   load the agent into a running JVM, or apply new settings to it");
        out.println("  status <pid>             mode, settings, JDK rewrites and counters of a running JVM");
        out.println("  mode <pid> off|audit|enforce [k=v,...]   switch a running JVM; the next redirect follows it");
        out.println("  set <pid> k=v,...        change settings of a running JVM live (e.g. enforceRules=...)");
        out.println("  report <file.jsonl>...   summarise agent logs: per rule, caller, target host; what enforce changes");
        out.println("  check                    rewrite this JVM's HTTP classes in memory and verify them");
        out.println("  doctor [--java JAVA]     self-test a JDK build: each rule's cases without the agent, in audit, in enforce");
        out.println("  version                  print the version");
        out.println("Exit codes: 0 done, 1 the operation failed, 2 usage error, 3 agent not loaded in the target.");
    }

    /**
     * The attach commands need com.sun.tools.attach: in jdk.attach on 9+, in the JDK's
     * lib/tools.jar on 8, which the jar's main class adds when it is there.
     */
    private static int attachCommand(String[] args, PrintStream out, PrintStream err) {
        try {
            Class.forName("com.sun.tools.attach.VirtualMachine", false, Cli.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            err.println("redirect-guard: this Java (" + System.getProperty("java.home") + ") has no attach API"
                    + " (a JRE?); run the command with a JDK's java");
            return FAILED;
        }
        return AttachCommands.run(args, out, err);
    }

    private static int check(PrintStream out) {
        try {
            out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
            boolean ok = true;
            RewriteCheck check = new RewriteCheck(new Rewrites(Cli.class.getClassLoader()));
            for (RewriteCheck.Outcome o : check.checkRunningJdk(agentJar())) {
                out.println("  " + o);
                ok &= o.ok();
            }
            return ok ? OK : FAILED;
        } catch (Exception e) {
            out.println("check failed: " + e);
            return FAILED;
        }
    }

    static String version() {
        return Version.of(Cli.class);
    }

    /** The jar this runs from, or null (classes directory: tests). */
    static File agentJar() {
        try {
            File f = new File(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return f.isFile() ? f : null;
        } catch (Exception e) {
            return null;
        }
    }
}
