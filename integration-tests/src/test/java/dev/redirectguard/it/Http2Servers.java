package dev.redirectguard.it;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The four origins of {@link RecordingServers} served by Jetty over HTTP/2, recorded and answered
 * by a {@link RecordingServers#recorder()} so Oracle and RunChecks apply unchanged:
 * <ul>
 * <li>{@code SECURE_A}, {@code SECURE_B}: TLS with ALPN offering {@code h2} and {@code http/1.1}
 * (so a client that does not negotiate h2 still gets through, over HTTP/1.1, and that shows);</li>
 * <li>{@code A}, {@code B}: cleartext HTTP/1.1 that accepts the {@code Upgrade: h2c} the JDK's
 * HttpClient sends on a request without a body (see {@link BodylessH2cUpgrade}).</li>
 * </ul>
 * Besides what RecordingServers records, each request's protocol is kept, in arrival order per path.
 */
final class Http2Servers implements AutoCloseable {
    /**
     * How one request arrived.
     *
     * @param protocol     the HTTP version the handler saw: "HTTP/2.0" or "HTTP/1.1"
     * @param upgradeOffer the request carried {@code Upgrade: h2c} (the JDK's h2c upgrade attempt; these
     *                     servers decline it for a request with a body, which then stays HTTP/1.1)
     * @param connection   the server connection's id, to tell a new connection from a reused one
     * @param framing      how the request announced its body: "Content-Length: n", "chunked" or "-" (neither)
     */
    record Arrival(String protocol, boolean upgradeOffer, String connection, String framing) {
        boolean http2() {
            return "HTTP/2.0".equals(protocol);
        }

        @Override
        public String toString() {
            return protocol + (upgradeOffer ? " (Upgrade: h2c offered)" : "");
        }
    }

    private final RecordingServers recorder = RecordingServers.recorder();
    private final Map<String, List<Arrival>> arrivalsByPath = new ConcurrentHashMap<>();
    private final Server server;

    private Http2Servers(Server server) {
        this.server = server;
    }

    static Http2Servers start(TestCertificate tls) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("http2-server");
        threads.setDaemon(true);
        Http2Servers s = new Http2Servers(new Server(threads));
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        // Record header values as sent: by default Jetty's HTTP/1.1 parser hands out a cached field that
        // matches case-insensitively ("text/plain; charset=utf-8" arrives as "...charset=UTF-8").
        config.setHeaderCacheCaseSensitive(true);

        for (RecordingServers.Origin origin : RecordingServers.Origin.values()) {
            ServerConnector connector;
            if (origin.scheme.equals("https")) {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStorePath(tls.keyStore().toString());
                ssl.setKeyStorePassword(tls.password());
                ssl.setKeyStoreType("PKCS12");
                ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
                HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
                HttpConnectionFactory http11 = new HttpConnectionFactory(config);
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
                alpn.setDefaultProtocol(http11.getProtocol());
                connector = new ServerConnector(s.server, 1, 1,
                        new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11);
            } else {
                connector = new ServerConnector(s.server, 1, 1,
                        new HttpConnectionFactory(config), new BodylessH2cUpgrade(config));
            }
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            connector.setName(origin.name());
            s.server.addConnector(connector);
        }
        s.server.setHandler(s.new RecordingHandler());
        s.server.start();
        for (var connector : s.server.getConnectors()) {
            ServerConnector sc = (ServerConnector) connector;
            RecordingServers.Origin origin = RecordingServers.Origin.valueOf(sc.getName());
            s.recorder.attach(origin, origin.scheme + "://127.0.0.1:" + sc.getLocalPort());
        }
        return s;
    }

    /** The recording model behind these servers: URLs, what each path received, unknown paths. */
    RecordingServers recorder() {
        return recorder;
    }

    /** Forgets what earlier runs received and serves these cases. */
    void prepare(List<RedirectCase> cases) {
        arrivalsByPath.clear();
        recorder.prepare(cases);
    }

    /** How the requests to a path arrived, in the same order as {@code recorder().received(path)}. */
    List<Arrival> arrivals(String path) {
        return List.copyOf(arrivalsByPath.getOrDefault(path, List.of()));
    }

    /**
     * Accepts the client's {@code Upgrade: h2c} only on a request without a body, which RFC 9110
     * section 7.8 allows (a server may ignore Upgrade). Jetty itself declines an upgrade with a
     * Content-Length body but (12.0.25) upgrades one with a chunked body (an HttpClient
     * {@code ofInputStream} body) without reading it first: the body is lost and the request ends in
     * RST_STREAM or GOAWAY, differently from run to run.
     */
    private static final class BodylessH2cUpgrade extends HTTP2CServerConnectionFactory {
        BodylessH2cUpgrade(HttpConfiguration config) {
            super(config);
        }

        @Override
        public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
                                            HttpFields.Mutable responseFields) {
            HttpFields fields = request.getHttpFields();
            if (fields.contains(HttpHeader.TRANSFER_ENCODING) || fields.getLongField(HttpHeader.CONTENT_LENGTH) > 0) {
                return null; // stay HTTP/1.1 for this request and connection
            }
            return super.upgradeConnection(connector, endPoint, request, responseFields);
        }
    }

    /** Blocking (the default of Handler.Abstract): Jetty calls it where it may read the body to its end. */
    private final class RecordingHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            byte[] body;
            try (InputStream in = Content.Source.asInputStream(request)) {
                body = in.readAllBytes();
            }
            ConnectionMetaData connection = request.getConnectionMetaData();
            RecordingServers.Origin origin = RecordingServers.Origin.valueOf(connection.getConnector().getName());
            String path = request.getHttpURI().getPath();
            HttpFields h = request.getHeaders();
            String upgrade = h.get(HttpHeader.UPGRADE);
            String length = h.get(HttpHeader.CONTENT_LENGTH);
            String framing = h.contains(HttpHeader.TRANSFER_ENCODING) ? h.get(HttpHeader.TRANSFER_ENCODING)
                    : length != null ? "Content-Length: " + length : "-";
            Arrival arrival = new Arrival(connection.getHttpVersion().asString(),
                    upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("h2c"), connection.getId(), framing);
            RecordingServers.Reply reply;
            // One lock, so the arrivals of a path stay in the order of the recorder's requests for it.
            synchronized (arrivalsByPath) {
                arrivalsByPath.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(arrival);
                reply = recorder.record(origin, request.getMethod(), path, body, h::getValuesList);
            }
            response.setStatus(reply.status());
            if (reply.location() != null) {
                response.getHeaders().put(HttpHeader.LOCATION, reply.location());
            }
            if (reply.contentType() != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
            return true;
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP/2 servers", e);
        }
        recorder.close();
    }
}
