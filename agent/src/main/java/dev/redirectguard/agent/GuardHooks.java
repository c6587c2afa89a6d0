package dev.redirectguard.agent;

import java.net.URI;
import java.net.URL;

/**
 * The agent's side of {@link java.lang.RedirectGuardBridge}. Loaded only after the bridge is
 * defined in java.base (it implements the bridge's interface), by {@link HookInstaller}.
 */
final class GuardHooks implements java.lang.RedirectGuardBridge.Hooks {
    private final HucHops huc;
    private final HttpClientHops httpClient;

    GuardHooks(GuardState state) {
        Reporter reporter = new Reporter(state);
        this.huc = new HucHops(state, reporter);
        this.httpClient = new HttpClientHops(state, reporter);
    }

    @Override
    public int hucFollowCeiling(Object connection, boolean streaming) {
        try {
            return huc.followCeiling(connection, streaming);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean hucHop(boolean streaming, Object connection, int status, URL target, boolean buffered,
                          String[] callerHeaderNames) {
        return huc.hop(streaming, connection, status, target, buffered, callerHeaderNames);
    }

    @Override
    public boolean hucSwitchToGet(String method, int status) {
        return huc.switchToGet(method, status);
    }

    @Override
    public boolean hucStrictPostRedirect(String property) {
        return huc.strictPostRedirect(property);
    }

    @Override
    public String[] hucFollowed(String[] callerHeaders) {
        return huc.followed(callerHeaders);
    }

    @Override
    public void hcExchangeStarted(Object request) {
        httpClient.exchangeStarted(request);
    }

    @Override
    public String hcRedirectedMethod(String jdkMethod, int status, String method) {
        return httpClient.redirectedMethod(jdkMethod, status, method);
    }

    @Override
    public boolean hcCanRedirect(boolean jdkAnswer, URI from, URI to) {
        return httpClient.canRedirect(jdkAnswer, from, to);
    }

    @Override
    public Object hcRedirectHeaders(Object request, Object previousRequest, Object headers, Object previousHeaders,
                                    Object publisher, Object previousPublisher, URI from, URI to,
                                    String previousMethod, String method) {
        try {
            return httpClient.redirectHeaders(request, previousRequest, headers, previousHeaders, publisher,
                    previousPublisher, from, to, previousMethod, method);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public Object hcRedirectPublisher(Object publisher) {
        return httpClient.redirectPublisher(publisher);
    }
}
