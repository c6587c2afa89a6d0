package dev.redirectguard.agent;

import java.net.URI;
import java.net.URL;
import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * The agent's side of {@link RedirectGuardBridge}. Loaded only after the bridge is defined in
 * java.base, since it implements the bridge's interface. Under a SecurityManager each hook runs
 * privileged, with the agent's own protection domain: the application's restricted permissions
 * (it is on the stack) are not the agent's.
 */
final class GuardHooks implements RedirectGuardBridge.Hooks {
    private final GuardState state;
    private volatile HucHops hucHops;
    private volatile HttpClientHops httpClientHops;

    GuardHooks(GuardState state) {
        this.state = state;
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

    private static boolean secured() {
        return System.getSecurityManager() != null;
    }

    @Override
    public boolean hucFollow308(final Object connection, final boolean streaming, final boolean lastHop) {
        if (secured()) {
            return AccessController.doPrivileged(new PrivilegedAction<Boolean>() {
                @Override
                public Boolean run() {
                    return huc().follow308(connection, streaming, lastHop);
                }
            });
        }
        return huc().follow308(connection, streaming, lastHop);
    }

    @Override
    public RedirectGuardBridge.HucPlan hucHop(final Object connection, final int status, final URL target,
                                              final boolean streaming, final boolean buffered,
                                              final String[] callerHeaders) {
        if (secured()) {
            return AccessController.doPrivileged(new PrivilegedAction<RedirectGuardBridge.HucPlan>() {
                @Override
                public RedirectGuardBridge.HucPlan run() {
                    return huc().hop(connection, status, target, streaming, buffered, callerHeaders);
                }
            });
        }
        return huc().hop(connection, status, target, streaming, buffered, callerHeaders);
    }

    /** Touches only this thread's own note: nothing that needs the agent's permissions. */
    @Override
    public void hcSendStart(Object request) {
        httpClient().sendStarted(request);
    }

    @Override
    public void hcSendEnd(final Object request) {
        if (secured()) {
            AccessController.doPrivileged(new PrivilegedAction<Void>() {
                @Override
                public Void run() {
                    httpClient().sendEnded(request);
                    return null;
                }
            });
            return;
        }
        httpClient().sendEnded(request);
    }

    @Override
    public void hcSent(final Object exchange, final Object client, final Object request) {
        if (secured()) {
            AccessController.doPrivileged(new PrivilegedAction<Void>() {
                @Override
                public Void run() {
                    httpClient().sent(exchange, client, request);
                    return null;
                }
            });
            return;
        }
        httpClient().sent(exchange, client, request);
    }

    @Override
    public Object hcHop(final int status, final String method, final String jdkMethod, final URI target,
                        final Object previous, final Object exchange) {
        if (secured()) {
            return AccessController.doPrivileged(new PrivilegedAction<Object>() {
                @Override
                public Object run() {
                    return httpClient().hop(status, method, jdkMethod, target, previous, exchange);
                }
            });
        }
        return httpClient().hop(status, method, jdkMethod, target, previous, exchange);
    }

    @Override
    public boolean hcRefuse(final Object hop) {
        if (secured()) {
            return AccessController.doPrivileged(new PrivilegedAction<Boolean>() {
                @Override
                public Boolean run() {
                    return httpClient().refuse(hop);
                }
            });
        }
        return httpClient().refuse(hop);
    }

    @Override
    public Object[] hcNext(final Object hop, Object previous, final String jdkMethod, final Object jdkHeaders,
                           final Object jdkPublisher) {
        if (secured()) {
            return AccessController.doPrivileged(new PrivilegedAction<Object[]>() {
                @Override
                public Object[] run() {
                    return httpClient().next(hop, jdkMethod, jdkHeaders, jdkPublisher);
                }
            });
        }
        return httpClient().next(hop, jdkMethod, jdkHeaders, jdkPublisher);
    }
}
