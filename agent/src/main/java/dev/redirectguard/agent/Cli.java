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
            out.println("Commands:         version");
            return 0;
        }
        if (args[0].equals("version")) {
            out.println(version());
            return 0;
        }
        err.println("redirect-guard: unknown command '" + args[0] + "' (try --help)");
        return 2;
    }

    static String version() {
        String v = Cli.class.getPackage() == null ? null : Cli.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
