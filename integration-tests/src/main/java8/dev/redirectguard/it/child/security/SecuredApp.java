package dev.redirectguard.it.child.security;

import dev.redirectguard.it.child.app.AppCalls;

/**
 * The application of SecurityManagerIT: under a SecurityManager whose policy gives it only what it
 * needs itself, it makes the same violating calls again and again (as {@link AppCalls}, the
 * {@code i}-th round under {@code <base>/hop<i>}), then reports the agent's threads through
 * {@link AgentThreads} (which runs from its own, separately granted code base). Each call of
 * round {@code i} goes to {@code <base>/<client>/hop<i>/<call>/start}, {@code <client>} being
 * {@code huc} or {@code hc}: a policy can grant HttpClient's URLPermission to the {@code hc} paths
 * alone, so that HttpURLConnection keeps its route for applications that have none. Java 8.
 *
 * <p>Arguments: {@code <base url> <rounds> <call>...}. Output:
 * {@code security-manager<TAB><class or none>}, the {@code result} lines of AppCalls, round by
 * round, the {@code agent-thread} lines, and {@code done}.
 */
public final class SecuredApp {
    private SecuredApp() {
    }

    public static void main(String[] args) {
        String base = args[0];
        int rounds = Integer.parseInt(args[1]);
        String[] calls = new String[args.length - 2];
        System.arraycopy(args, 2, calls, 0, calls.length);
        SecurityManager sm = System.getSecurityManager();
        System.out.println("security-manager\t" + (sm == null ? "none" : sm.getClass().getName()));
        for (int i = 1; i <= rounds; i++) {
            for (String call : calls) {
                String client = call.substring(0, call.indexOf('-'));
                AppCalls.run(base + "/" + client + "/hop" + i, new String[] {call});
            }
        }
        for (String line : AgentThreads.describe()) {
            System.out.println(line);
        }
        System.out.println("done");
        System.out.flush();
    }
}
