package dev.redirectguard.log;

import dev.redirectguard.config.Settings;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Which violations have their caller read. The caller is a walk of the application thread's own
 * stack, and in a flood of violations that walk is most of what audit costs. Where the caller only
 * names lines that are collapsed anyway (logInterval above 0, and no enforce scope that decides by
 * caller), the callers of one client's violations to one target origin are read for {@link #RATE}
 * a second, the first {@code RATE} at once. Below that rate every caller is read. Above it, a
 * caller is read in proportion to its share of the flood (the bucket refills continuously, so no
 * part of a second is favoured), and the other violations are counted on lines whose caller is not
 * read ({@code "callerUnread":true}). With every line written (logInterval=0), or an enforce scope
 * that decides by caller, every caller is read.
 *
 * <p>One instance per client. Lock-free: a refusal reads one shared word and writes none
 * ({@link RateLimit}). Origins beyond {@link #MAX_ORIGINS} share one bucket, so the map stays small.
 */
public final class CallerSampling {
    /** Callers read per second per client and target origin, once the first this many are read. */
    public static final int RATE = 100;
    static final int MAX_ORIGINS = 1024;

    private final LogPipeline.Clock clock;
    private final ConcurrentHashMap<Origin, RateLimit> byOrigin = new ConcurrentHashMap<Origin, RateLimit>();
    private volatile RateLimit overflow;

    public CallerSampling() {
        this(new LogPipeline.NanoClock());
    }

    CallerSampling(LogPipeline.Clock clock) {
        this.clock = clock;
    }

    /**
     * Whether the caller of a violation by this client to this origin is to be read. Never throws
     * (a failure reads the caller, as without sampling).
     */
    public boolean read(Settings settings, String scheme, String host, int port) {
        try {
            if (settings.logIntervalSeconds() == 0 || settings.decidesByCaller()) {
                return true;
            }
            long now = clock.millis();
            Origin origin = new Origin(scheme, host, port);
            RateLimit limit = byOrigin.get(origin);
            if (limit == null) {
                limit = byOrigin.size() >= MAX_ORIGINS ? overflow(now) : add(origin, now);
            }
            return limit.tryAcquire(now);
        } catch (Throwable t) {
            return true;
        }
    }

    private RateLimit add(Origin origin, long now) {
        RateLimit fresh = new RateLimit(RATE, now);
        RateLimit had = byOrigin.putIfAbsent(origin, fresh);
        return had == null ? fresh : had;
    }

    private RateLimit overflow(long now) {
        RateLimit o = overflow;
        if (o == null) {
            // Two threads may both make one: either is a bucket; one is kept.
            o = new RateLimit(RATE, now);
            overflow = o;
        }
        return o;
    }

    /** Tests: origins with a bucket of their own. */
    int origins() {
        return byOrigin.size();
    }

    /** Scheme, host and port; the hash computed once. */
    private static final class Origin {
        private final String scheme;
        private final String host;
        private final int port;
        private final int hash;

        Origin(String scheme, String host, int port) {
            this.scheme = scheme == null ? "" : scheme;
            this.host = host == null ? "" : host;
            this.port = port;
            this.hash = (this.scheme.hashCode() * 31 + this.host.hashCode()) * 31 + port;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Origin)) {
                return false;
            }
            Origin other = (Origin) o;
            return hash == other.hash && port == other.port && host.equals(other.host) && scheme.equals(other.scheme);
        }
    }
}
