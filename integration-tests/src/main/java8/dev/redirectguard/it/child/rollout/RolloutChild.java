package dev.redirectguard.it.child.rollout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Child program of RolloutIT: an application whose calls come from two packages, driven one
 * command a line on stdin, one answer line on stdout ("ok ..." or "error ..."), so that the test
 * changes settings between two calls and the next call shows the change. Java 8: loaded by every
 * JDK; the HttpClient callers load by name, on 11+ only.
 *
 * <pre>
 * huc billing|legacy METHOD URL   HttpURLConnection, redirects followed -> "ok STATUS BODY"
 * hc billing|legacy METHOD URL    HttpClient (Redirect.NORMAL), 11+ -> "ok STATUS BODY"
 * settings                        the MBean's Settings attribute -> "ok SETTINGS"
 * set KEY=VALUE,...               the MBean's set operation -> "ok NEW SETTINGS" | "error MESSAGE"
 * counters                        the MBean's Counters rows with a count -> "ok RULE CLIENT ACTION SCOPE COUNT;..."
 * index                           the index columns of the Counters table -> "ok NAME NAME ..."
 * quit
 * </pre>
 */
public final class RolloutChild {
    private static final String PACKAGE = "dev.redirectguard.it.child.rollout.";

    private RolloutChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, RolloutCalls.UTF_8));
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ", 2);
            if (w[0].equals("quit")) {
                break;
            }
            String answer;
            try {
                answer = "ok " + run(w[0], w.length > 1 ? w[1] : "");
            } catch (Throwable t) {
                Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
                answer = "error " + String.valueOf(cause).replace('\n', ' ');
            }
            System.out.println(answer);
            System.out.flush();
        }
    }

    private static String run(String command, String rest) throws Exception {
        if (command.equals("huc") || command.equals("hc")) {
            String[] a = rest.split(" ");
            String who = a[0];
            String caller = PACKAGE + who + "." + Character.toUpperCase(who.charAt(0)) + who.substring(1)
                    + (command.equals("huc") ? "Calls" : "HttpClient");
            return (String) Class.forName(caller).getMethod(command.equals("huc") ? "huc" : "send", String.class,
                    String.class).invoke(null, a[1], a[2]);
        }
        if (command.equals("settings")) {
            return (String) mbeans().getAttribute(name(), "Settings");
        }
        if (command.equals("set")) {
            try {
                return (String) mbeans().invoke(name(), "set", new Object[] {rest},
                        new String[] {String.class.getName()});
            } catch (javax.management.MBeanException e) {
                throw new IllegalArgumentException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            } catch (javax.management.RuntimeMBeanException e) {
                throw new IllegalArgumentException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            }
        }
        if (command.equals("counters")) {
            TabularData table = (TabularData) mbeans().getAttribute(name(), "Counters");
            List<String> rows = new ArrayList<String>();
            for (Object row : table.values()) {
                CompositeData r = (CompositeData) row;
                if ((Long) r.get("count") != 0) {
                    rows.add(r.get("rule") + " " + r.get("client") + " " + r.get("action") + " " + r.get("scope") + " "
                            + r.get("count"));
                }
            }
            Collections.sort(rows);
            StringBuilder b = new StringBuilder();
            for (String r : rows) {
                b.append(b.length() == 0 ? "" : ";").append(r);
            }
            return b.toString();
        }
        if (command.equals("index")) {
            StringBuilder b = new StringBuilder();
            for (String column : ((TabularData) mbeans().getAttribute(name(), "Counters")).getTabularType()
                    .getIndexNames()) {
                b.append(b.length() == 0 ? "" : " ").append(column);
            }
            return b.toString();
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private static ObjectName name() throws Exception {
        return new ObjectName("dev.redirectguard:type=RedirectGuard");
    }

    /** The platform MBean server once the agent has registered its MBean there (on its own thread; 20 s at most). */
    private static MBeanServer mbeans() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long deadline = System.currentTimeMillis() + 20000;
        while (!server.isRegistered(name()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return server;
    }
}
