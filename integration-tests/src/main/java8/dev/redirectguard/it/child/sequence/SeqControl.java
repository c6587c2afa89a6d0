package dev.redirectguard.it.child.sequence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Waits for an event of the servers, over a plain socket so that neither HTTP client under test
 * (nor the agent) sees it: {@code AWAIT <path> <count>} returns once the servers have received
 * that many requests for the path (the servers' own bound fails it, not a timer here).
 */
public final class SeqControl {
    private final String host;
    private final int port;

    public SeqControl(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        host = hostPort.substring(0, colon);
        port = Integer.parseInt(hostPort.substring(colon + 1));
    }

    public void awaitReceived(String path, int count) throws IOException {
        awaitReceived(new Socket(), path, count);
    }

    /** As above on a socket the caller made, so that another thread can end the wait by closing it. */
    public void awaitReceived(Socket s, String path, int count) throws IOException {
        try {
            s.connect(new InetSocketAddress(host, port), 10000);
            OutputStream out = s.getOutputStream();
            out.write(("AWAIT " + path + " " + count + "\n").getBytes(SeqPlan.UTF_8));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), SeqPlan.UTF_8)).readLine();
            if (!"OK".equals(answer)) {
                throw new IOException("servers did not receive " + path + ": " + answer);
            }
        } finally {
            s.close();
        }
    }
}
