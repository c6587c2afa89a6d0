package dev.redirectguard.log;

import dev.redirectguard.config.Settings;
import dev.redirectguard.config.SettingsParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallerSamplingTest {
    /** A clock the test moves. */
    static final class HandClock implements LogPipeline.Clock {
        final AtomicLong time = new AtomicLong(5_000_000);

        @Override
        public long millis() {
            return time.get();
        }
    }

    static Settings settings(String args) {
        List<String> errors = new ArrayList<String>();
        Settings s = SettingsParser.parse(args, new Properties(), Collections.<String, String>emptyMap(), errors);
        assertEquals(List.of(), errors);
        return s;
    }

    private static int reads(CallerSampling sampling, Settings s, String host, int n) {
        int read = 0;
        for (int i = 0; i < n; i++) {
            read += sampling.read(s, "http", host, 80) ? 1 : 0;
        }
        return read;
    }

    @Test
    void belowTheRateEveryCallerIsReadAboveItTheRate() {
        HandClock clock = new HandClock();
        CallerSampling sampling = new CallerSampling(clock);
        Settings audit = Settings.defaults();
        assertEquals(CallerSampling.RATE, reads(sampling, audit, "a", CallerSampling.RATE), "the first RATE at once");
        assertEquals(0, reads(sampling, audit, "a", 1000), "then none until time passes");
        clock.time.addAndGet(10); // a hundredth of a second: one more at RATE 100
        assertEquals(1, reads(sampling, audit, "a", 1000));
        for (int second = 0; second < 5; second++) {
            int read = 0;
            for (int ms = 0; ms < 1000; ms++) {
                clock.time.incrementAndGet();
                read += reads(sampling, audit, "a", 20); // a flood of 20,000 a second
            }
            assertEquals(CallerSampling.RATE, read, "second " + second);
        }
        clock.time.addAndGet(60_000); // quiet for a minute: the bucket is full again, not fuller
        assertEquals(CallerSampling.RATE, reads(sampling, audit, "a", 1000));
    }

    @Test
    void eachOriginHasItsOwnBudget() {
        HandClock clock = new HandClock();
        CallerSampling sampling = new CallerSampling(clock);
        Settings audit = Settings.defaults();
        reads(sampling, audit, "a", 10_000);
        assertTrue(sampling.read(audit, "http", "b", 80), "a flood to one origin leaves another's callers read");
        assertTrue(sampling.read(audit, "https", "a", 443));
        assertTrue(sampling.read(audit, "http", "a", 8080));
        assertFalse(sampling.read(audit, "http", "a", 80));
        assertEquals(4, sampling.origins());
    }

    @Test
    void everyCallerIsReadWhereEveryLineIsWrittenOrTheScopeDecidesByCaller() {
        CallerSampling sampling = new CallerSampling(new HandClock());
        Settings everyLine = settings("logInterval=0");
        Settings byCaller = settings("mode=enforce,enforceCallers=com.acme.");
        Settings enforceAll = settings("mode=enforce");
        assertEquals(10_000, reads(sampling, everyLine, "a", 10_000));
        assertEquals(10_000, reads(sampling, byCaller, "a", 10_000));
        assertEquals(CallerSampling.RATE, reads(sampling, enforceAll, "a", 10_000),
                "enforce for every caller: the caller only names the line");
    }

    @Test
    void originsBeyondTheBoundShareOneBucket() {
        HandClock clock = new HandClock();
        CallerSampling sampling = new CallerSampling(clock);
        Settings audit = Settings.defaults();
        for (int i = 0; i < CallerSampling.MAX_ORIGINS; i++) {
            assertTrue(sampling.read(audit, "http", "h" + i, 80));
        }
        int read = 0;
        for (int i = 0; i < 10_000; i++) {
            read += sampling.read(audit, "http", "extra" + i, 80) ? 1 : 0;
        }
        assertEquals(CallerSampling.RATE, read);
        assertEquals(CallerSampling.MAX_ORIGINS, sampling.origins());
    }

    @Test
    void threadsTogetherGetExactlyTheBudget() throws Exception {
        HandClock clock = new HandClock();
        CallerSampling sampling = new CallerSampling(clock);
        Settings audit = Settings.defaults();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        LongAdder read = new LongAdder();
        List<Thread> all = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                read.add(reads(sampling, audit, "a", 10_000));
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
        assertEquals(CallerSampling.RATE, read.sum(), "the clock stood still: the burst, once");
    }
}
