package dev.redirectguard.agent;

import java.net.URI;
import java.net.URL;

/**
 * The agent's side of {@link RedirectGuardBridge}. Loaded only after the bridge is defined in
 * java.base, since it implements the bridge's interface.
 */
final class GuardHooks implements RedirectGuardBridge.Hooks {
    private final GuardState state;
    private volatile HucHops hucHops;
    private volatile HttpClientHops httpClientHops;

    private GuardHooks(GuardState state) {
        this.state = state;
    }

    /**
     * Connects the agent to the bridge; call only once the bridge exists. Here, and not in the
     * class that defines the bridge: verifying a call that passes a GuardHooks as a Hooks loads
     * Hooks, and before the bridge exists the application class loader would try to define a
     * java.lang class, which it may not.
     */
    static void install(GuardState state) {
        RedirectGuardBridge.install(new GuardHooks(state));
    }

    /** For the MBean; only called once the bridge exists (the MBean is registered after it). */
    static long suppressedCount() {
        return RedirectGuardBridge.suppressedCount();
    }

    /** Built on first use: a JVM that never meets a redirect never loads the rules. */
    private HucHops huc() {
        HucHops h = hucHops;
        if (h == null) {
            synchronized (this) {
                if (hucHops == null) {
                    hucHops = new HucHops(state, new Reporter(state));
                }
                h = hucHops;
            }
        }
        return h;
    }

    private HttpClientHops httpClient() {
        HttpClientHops h = httpClientHops;
        if (h == null) {
            synchronized (this) {
                if (httpClientHops == null) {
                    httpClientHops = new HttpClientHops(state, new Reporter(state));
                }
                h = httpClientHops;
            }
        }
        return h;
    }

    @Override
    public int hucFollowCeiling(Object connection, boolean streaming) {
        try {
            return huc().followCeiling(connection, streaming);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean hucHop(boolean streaming, Object connection, int status, URL target, boolean buffered,
                          String[] callerHeaderNames) {
        return huc().hop(streaming, connection, status, target, buffered, callerHeaderNames);
    }

    @Override
    public boolean hucSwitchToGet(String method, int status) {
        return huc().switchToGet(method, status);
    }

    @Override
    public boolean hucStrictPostRedirect(String property) {
        return huc().strictPostRedirect(property);
    }

    @Override
    public String[] hucFollowed(String[] callerHeaders) {
        return huc().followed(callerHeaders);
    }

    @Override
    public void hcExchangeStarted(Object request) {
        httpClient().exchangeStarted(request);
    }

    @Override
    public String hcRedirectedMethod(String jdkMethod, int status, String method) {
        return httpClient().redirectedMethod(jdkMethod, status, method);
    }

    @Override
    public boolean hcCanRedirect(boolean jdkAnswer, URI from, URI to, Object request) {
        return httpClient().canRedirect(jdkAnswer, from, to, request);
    }

    @Override
    public Object hcRedirectHeaders(Object request, Object previousRequest, Object headers, Object previousHeaders,
                                    Object publisher, Object previousPublisher, URI from, URI to,
                                    String previousMethod, String method) {
        return httpClient().redirectHeaders(request, previousRequest, headers, previousHeaders, publisher,
                previousPublisher, from, to, previousMethod, method);
    }

    @Override
    public Object hcRedirectPublisher(Object publisher) {
        return httpClient().redirectPublisher(publisher);
    }
}
