package dev.redirectguard.it.child.sequence;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a plan's steps in order: a step's calls one after the other, or for a parallel step each on
 * its own thread, all joined before the next step; a background call on its own thread from its
 * step to the end of the plan. Writes one outcome line per call.
 */
public final class SeqSteps {
    /** Runs one call to its end and says what the caller saw; never throws. */
    public interface CallRunner {
        SeqOutcome run(SeqPlan.Call call);
    }

    private static final long JOIN_BOUND_MILLIS = 120000;

    private SeqSteps() {
    }

    public static void run(SeqPlan plan, File results, final CallRunner runner) throws IOException, InterruptedException {
        Writer out = new OutputStreamWriter(new FileOutputStream(results), SeqPlan.UTF_8);
        List<Thread> background = new ArrayList<Thread>();
        final List<SeqOutcome> backgroundOutcomes = new ArrayList<SeqOutcome>();
        try {
            for (SeqPlan.Step step : plan.steps) {
                if (step.calls.size() == 1 && step.calls.get(0).background) {
                    final SeqPlan.Call call = step.calls.get(0);
                    Thread t = new Thread(new Runnable() {
                        @Override
                        public void run() {
                            SeqOutcome o = safely(runner, call);
                            synchronized (backgroundOutcomes) {
                                backgroundOutcomes.add(o);
                            }
                        }
                    }, "seq-" + call.id);
                    t.setDaemon(true);
                    t.start();
                    background.add(t);
                    continue;
                }
                final SeqOutcome[] outcomes = new SeqOutcome[step.calls.size()];
                if (!step.parallel) {
                    for (int i = 0; i < outcomes.length; i++) {
                        outcomes[i] = safely(runner, step.calls.get(i));
                    }
                } else {
                    List<Thread> threads = new ArrayList<Thread>();
                    for (int i = 0; i < outcomes.length; i++) {
                        final int k = i;
                        final SeqPlan.Call call = step.calls.get(i);
                        Thread t = new Thread(new Runnable() {
                            @Override
                            public void run() {
                                outcomes[k] = safely(runner, call);
                            }
                        }, "seq-" + call.id);
                        t.setDaemon(true);
                        threads.add(t);
                    }
                    for (Thread t : threads) {
                        t.start();
                    }
                    for (Thread t : threads) {
                        t.join(JOIN_BOUND_MILLIS);
                        if (t.isAlive()) {
                            throw new IllegalStateException(t.getName() + " did not end in " + JOIN_BOUND_MILLIS + " ms");
                        }
                    }
                }
                for (SeqOutcome o : outcomes) {
                    out.write(o.toJson());
                    out.write('\n');
                }
                out.flush();
            }
            for (Thread t : background) {
                t.join(JOIN_BOUND_MILLIS);
                if (t.isAlive()) {
                    throw new IllegalStateException(t.getName() + " did not end in " + JOIN_BOUND_MILLIS + " ms");
                }
            }
            for (SeqOutcome o : backgroundOutcomes) {
                out.write(o.toJson());
                out.write('\n');
            }
        } finally {
            out.close();
        }
    }

    static SeqOutcome safely(CallRunner runner, SeqPlan.Call call) {
        long start = System.nanoTime();
        SeqOutcome o;
        try {
            o = runner.run(call);
        } catch (Throwable t) {
            o = new SeqOutcome(call);
            o.error("runner", t);
        }
        // For the run's files only (where the time went); never compared.
        return o.put("millis", (System.nanoTime() - start) / 1000000);
    }
}
