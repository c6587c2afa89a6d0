package dev.redirectguard.it.child;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** One HttpURLConnection GET of an https URL that redirects to http; prints what the caller got. */
public final class DowngradeUrlConnection {
    private DowngradeUrlConnection() {
    }

    public static void main(String[] args) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(args[0]).openConnection();
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        if (in != null) {
            while (in.read() >= 0) {
                // drain
            }
            in.close();
        }
        System.out.println("status=" + status);
    }
}
