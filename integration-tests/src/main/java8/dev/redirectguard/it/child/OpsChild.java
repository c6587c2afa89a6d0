package dev.redirectguard.it.child;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.URL;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Child program of the operations tests: a long-running application that makes one request per
 * command read from stdin and answers one line on stdout. Java 8: loaded by every JDK.
 *
 * <pre>
 * huc URL    GET with HttpURLConnection (redirects followed) -> "huc STATUS BODY"
 * hc URL     POST "x" (Content-Type text/plain) with HttpClient, 11+ -> "hc STATUS BODY"
 * jmx MODE   sets the agent's Mode attribute on this JVM's own platform MBean server -> "jmx OLD NEW"
 * quit
 * </pre>
 */
public final class OpsChild {
    private OpsChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, ChildCase.UTF_8));
        System.out.println("ready");
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split(" ");
            if (w[0].equals("quit")) {
                break;
            }
            String answer;
            try {
                if (w[0].equals("huc")) {
                    answer = "huc " + huc(w[1]);
                } else if (w[0].equals("hc")) {
                    Method post = Class.forName("dev.redirectguard.it.child.OpsHttpClient").getMethod("post", String.class);
                    answer = "hc " + post.invoke(null, w[1]);
                } else if (w[0].equals("jmx")) {
                    answer = "jmx " + jmx(w[1]);
                } else {
                    answer = "error unknown command " + w[0];
                }
            } catch (Throwable t) {
                Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
                answer = "error " + cause;
            }
            System.out.println(answer);
            System.out.flush();
        }
    }

    static String huc(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(10000);
        c.setReadTimeout(30000);
        int status = c.getResponseCode();
        InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream();
        String text = body == null ? "" : HucRunner.readUtf8(body);
        return status + " " + text;
    }

    /** The agent registers its MBean on a side thread: wait for it (20 s at most). */
    static String jmx(String mode) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.redirectguard:type=RedirectGuard");
        long deadline = System.currentTimeMillis() + 20000;
        while (!server.isRegistered(name) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Object before = server.getAttribute(name, "Mode");
        server.setAttribute(name, new Attribute("Mode", mode));
        return before + " " + server.getAttribute(name, "Mode");
    }
}
