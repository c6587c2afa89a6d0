package dev.redirectguard.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Generic cell rate algorithm, the token bucket as one number: the theoretical arrival time
 * of the next token, in milliseconds times {@code rate} since the bucket was made (1000 per
 * token), so integer arithmetic is exact. A token is given while that time is at most a burst
 * ahead of now; only a token given writes (one compare-and-set), a refusal only reads, so threads
 * refused together do not contend. The log's lines per second, and the callers read per second.
 */
final class RateLimit {
    final int rate;
    private final long start;
    private final long burst;
    private final AtomicLong nextToken = new AtomicLong();

    /** Full: {@code rate} tokens at once. */
    RateLimit(int rate, long now) {
        this.rate = rate;
        this.start = now;
        this.burst = (rate - 1) * 1000L;
    }

    boolean tryAcquire(long now) {
        long t = Math.max(0, now - start) * rate;
        for (;;) {
            long next = nextToken.get();
            long from = Math.max(next, t);
            if (from - t > burst) {
                return false;
            }
            if (nextToken.compareAndSet(next, from + 1000)) {
                return true;
            }
        }
    }
}
