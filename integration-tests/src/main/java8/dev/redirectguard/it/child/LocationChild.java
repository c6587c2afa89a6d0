package dev.redirectguard.it.child;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * POSTs a small body with HttpURLConnection to each URL given and prints, one line per URL, what
 * the caller got: {@code status <code>} or {@code exception <class>: <message>}.
 */
public final class LocationChild {
    private LocationChild() {
    }

    public static void main(String[] urls) throws Exception {
        for (String url : urls) {
            try {
                HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "text/plain");
                OutputStream out = c.getOutputStream();
                out.write("hello".getBytes("UTF-8"));
                out.close();
                int status = c.getResponseCode();
                InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
                if (in != null) {
                    while (in.read() >= 0) {
                        // drain
                    }
                    in.close();
                }
                System.out.println("status " + status);
            } catch (Exception e) {
                System.out.println("exception " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}
