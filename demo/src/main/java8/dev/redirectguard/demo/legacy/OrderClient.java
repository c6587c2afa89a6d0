package dev.redirectguard.demo.legacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.Charset;

/**
 * A legacy shop back end's client, written the way Java 8 code is: HttpURLConnection with
 * redirects followed (its default), the service token and the session cookie on every call.
 * It submits an order, uploads an invoice, checks out, and on Java 11+ also calls the account
 * API through java.net.http.HttpClient.
 *
 * <p>Usage: {@code OrderClient <base URL of the shop's services>}
 */
public final class OrderClient {
    private static final Charset UTF_8 = Charset.forName("UTF-8");

    private final String baseUrl;
    private final Credentials credentials;

    OrderClient(String baseUrl, Credentials credentials) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
    }

    public static void main(String[] args) {
        String baseUrl = args[0];
        Credentials credentials = Credentials.demo();
        System.out.println("order-client on Java " + System.getProperty("java.version"));

        OrderClient orders = new OrderClient(baseUrl, credentials);
        CallLog.run("submitOrder", orders::submitOrder);
        CallLog.run("uploadInvoice", orders::uploadInvoice);
        CallLog.run("checkout", orders::checkout);

        AccountApi account = accountApi(baseUrl, credentials);
        if (account == null) {
            CallLog.skipped("downloadReport", "java.net.http needs Java 11");
            CallLog.skipped("openTicket", "java.net.http needs Java 11");
            return;
        }
        CallLog.run("downloadReport", account::downloadReport);
        CallLog.run("openTicket", account::openTicket);
    }

    int submitOrder() throws IOException {
        return sendWithBody(open("/orders", "POST"), "application/json", "{\"sku\":\"KB-42\"}");
    }

    int uploadInvoice() throws IOException {
        return sendWithBody(open("/api/v1/upload", "PUT"), "application/pdf", "%PDF-1.7 invoice");
    }

    int checkout() throws IOException {
        return sendWithBody(open("/checkout", "POST"), "application/x-www-form-urlencoded", "cart=1017&pay=card");
    }

    private HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(baseUrl + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10000);
        c.setRequestProperty("Authorization", credentials.authorization());
        c.setRequestProperty("Cookie", credentials.cookie());
        c.setRequestProperty("Accept", "application/json");
        return c;
    }

    /** Buffered (no streaming mode), as most code does: HttpURLConnection can send it again on a redirect. */
    private static int sendWithBody(HttpURLConnection c, String contentType, String body) throws IOException {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", contentType);
        OutputStream out = c.getOutputStream();
        try {
            out.write(body.getBytes(UTF_8));
        } finally {
            out.close();
        }
        int status = c.getResponseCode();
        drain(status >= 400 ? c.getErrorStream() : c.getInputStream());
        return status;
    }

    /** Reads the response to its end, so the connection can be kept alive. */
    private static void drain(InputStream in) throws IOException {
        if (in == null) {
            return;
        }
        try {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) != -1) {
                // discard
            }
        } finally {
            in.close();
        }
    }

    /** The HttpClient implementation, or null on a JVM older than 11 (it would not even load there). */
    private static AccountApi accountApi(String baseUrl, Credentials credentials) {
        String spec = System.getProperty("java.specification.version");
        if (spec.startsWith("1.") || Integer.parseInt(spec) < 11) {
            return null;
        }
        try {
            Constructor<?> c = Class.forName(AccountApi.IMPLEMENTATION)
                    .getDeclaredConstructor(String.class, Credentials.class);
            return (AccountApi) c.newInstance(baseUrl, credentials);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + AccountApi.IMPLEMENTATION, e);
        }
    }
}
