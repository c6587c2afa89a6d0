package dev.redirectguard.agent;

import java.io.PrintStream;

/** {@code java -jar redirect-guard-agent.jar}: how to use the jar. */
public final class Cli {
    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println("redirect-guard " + version());
            out.println("Attach at start:  java -javaagent:redirect-guard-agent.jar[=mode=audit|enforce|off,"
                    + "log=stderr|stdout|FILE,legacyPostRedirect=get|preserve,stripOnCrossOrigin=H1;H2] ...");
            out.println("Commands:");
            out.println("  check      rewrite this JVM's HTTP classes in memory, verify them, install nothing;");
            out.println("             exit 0 when every class would be rewritten and passes verification");
            out.println("  version    print the version");
            return 0;
        }
        if (args[0].equals("check")) {
            return check(out);
        }
        if (args[0].equals("version")) {
            out.println(version());
            return 0;
        }
        err.println("redirect-guard: unknown command '" + args[0] + "' (try --help)");
        return 2;
    }

    private static int check(PrintStream out) {
        try {
            out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
            boolean ok = true;
            for (RewriteCheck.Outcome o : RewriteCheck.checkRunningJdk()) {
                out.println("  " + o);
                ok &= o.ok();
            }
            return ok ? 0 : 1;
        } catch (Exception e) {
            out.println("check failed: " + e);
            return 1;
        }
    }

    static String version() {
        String v = Cli.class.getPackage() == null ? null : Cli.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
