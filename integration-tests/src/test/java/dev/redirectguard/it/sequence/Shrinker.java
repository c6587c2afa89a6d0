package dev.redirectguard.it.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds a short plan that still shows a failure, by running candidates again in fresh child
 * JVMs (without the agent and in the failing mode): first the failing sequence alone, else it
 * with the sequences before it (whose state it may need); then, delta-debugging style, without
 * chunks of sequences, of steps and of the calls of steps with several calls, halving the chunk
 * size down to one. A candidate "still fails" when it shows a mismatch of the same kind as the
 * one being shrunk. Bounded by a number of trials, never by time.
 */
public final class Shrinker {
    /** Runs a candidate plan (none and the mode) and returns the mode's mismatches; empty when it passes. */
    public interface Trial {
        List<SequenceOracle.Mismatch> run(Plan candidate) throws Exception;
    }

    /** The shortest plan found, what it shows, and how many trials it took. */
    public record Result(Plan plan, List<SequenceOracle.Mismatch> mismatches, int trials, String note) {
    }

    /** A step of a sequence, or a call of a step: what the later rounds remove. */
    private record StepRef(int seq, int step) {
    }

    private record CallRef(int seq, int step, String call) {
    }

    private final Trial trial;
    private final String kind;
    private final int budget;
    private int trials;
    private List<SequenceOracle.Mismatch> lastFailure = List.of();
    private Plan lastFailing;

    private Shrinker(Trial trial, String kind, int budget) {
        this.trial = trial;
        this.kind = kind;
        this.budget = budget;
    }

    /**
     * @param known a plan shrunk for the same kind before (another JDK), tried first; or null
     */
    public static Result shrink(Plan full, SequenceOracle.Mismatch target, Plan known, Trial trial, int budget)
            throws Exception {
        Shrinker s = new Shrinker(trial, target.kind(), budget);
        if (known != null && s.fails(known)) {
            return new Result(known, s.lastFailure, s.trials, "as shrunk on an earlier JDK");
        }
        int seq = RunOutput.sequenceOf(target.call());
        Plan.Sequence failing = full.sequences().stream().filter(q -> q.index() == seq).findFirst().orElseThrow();
        Plan current;
        if (s.fails(full.with(List.of(failing)))) {
            current = full.with(List.of(failing));
        } else {
            List<Plan.Sequence> prefix = full.sequences().stream().filter(q -> q.index() <= seq).toList();
            if (!s.fails(full.with(prefix))) {
                return new Result(full.with(List.of(failing)), List.of(), s.trials,
                        "not reproduced by the sequences up to " + seq + " in fresh JVMs: it needs a later state,"
                                + " or depends on thread timing (the agent's: none and audit are compared call by call)");
            }
            List<Plan.Sequence> kept = s.reduce(prefix, full::with);
            current = full.with(kept);
        }
        Plan base = current;
        List<StepRef> steps = new ArrayList<>();
        base.sequences().forEach(q -> q.steps().forEach(st -> steps.add(new StepRef(q.index(), st.index()))));
        List<StepRef> keptSteps = s.reduce(steps, k -> withSteps(base, k));
        current = withSteps(base, keptSteps);
        Plan base2 = current;
        List<CallRef> calls = new ArrayList<>();
        base2.sequences().forEach(q -> q.steps().stream().filter(st -> st.calls().size() > 1)
                .forEach(st -> st.calls().forEach(c -> calls.add(new CallRef(q.index(), st.index(), c.id())))));
        if (!calls.isEmpty()) {
            List<CallRef> keptCalls = s.reduce(calls, k -> withoutCalls(base2, calls, k));
            current = withoutCalls(base2, calls, keptCalls);
        }
        if (!current.equals(s.lastFailing) && !s.fails(current)) {
            // The last failing candidate was a longer one; the one shown must be seen failing.
            return new Result(current, List.of(), s.trials, "the shortest candidate did not fail again");
        }
        return new Result(current, s.lastFailure, s.trials, s.left() ? "" : "trial budget used up: may shrink further");
    }

    /** Removes chunks of units (halves, quarters, ... single units) while the plan keeps failing. */
    private <T> List<T> reduce(List<T> units, Function<List<T>, Plan> build) throws Exception {
        List<T> current = new ArrayList<>(units);
        int chunk = Math.max(1, current.size() / 2);
        while (left() && current.size() > 1) {
            boolean removed = false;
            for (int start = 0; start < current.size() && left() && current.size() > 1; ) {
                List<T> candidate = new ArrayList<>(current);
                candidate.subList(start, Math.min(start + chunk, candidate.size())).clear();
                if (!candidate.isEmpty() && fails(build.apply(candidate))) {
                    current = candidate;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (!removed) {
                if (chunk == 1) {
                    break;
                }
                chunk = Math.max(1, chunk / 2);
            }
        }
        return current;
    }

    private static Plan withSteps(Plan base, List<StepRef> kept) {
        List<Plan.Sequence> seqs = new ArrayList<>();
        for (Plan.Sequence q : base.sequences()) {
            List<Plan.Step> steps = q.steps().stream().filter(st -> kept.contains(new StepRef(q.index(), st.index()))).toList();
            if (!steps.isEmpty()) {
                seqs.add(new Plan.Sequence(q.index(), steps));
            }
        }
        return base.with(seqs);
    }

    private static Plan withoutCalls(Plan base, List<CallRef> all, List<CallRef> kept) {
        List<Plan.Sequence> seqs = new ArrayList<>();
        for (Plan.Sequence q : base.sequences()) {
            List<Plan.Step> steps = new ArrayList<>();
            for (Plan.Step st : q.steps()) {
                List<Plan.Call> calls = st.calls().stream().filter(c -> {
                    CallRef ref = new CallRef(q.index(), st.index(), c.id());
                    return !all.contains(ref) || kept.contains(ref);
                }).toList();
                if (!calls.isEmpty()) {
                    steps.add(new Plan.Step(st.seq(), st.index(), st.parallel(), calls));
                }
            }
            if (!steps.isEmpty()) {
                seqs.add(new Plan.Sequence(q.index(), steps));
            }
        }
        return base.with(seqs);
    }

    private boolean left() {
        return trials < budget;
    }

    private boolean fails(Plan candidate) throws Exception {
        trials++;
        List<SequenceOracle.Mismatch> mm = trial.run(candidate);
        if (mm.stream().anyMatch(m -> m.kind().equals(kind))) {
            lastFailure = mm;
            lastFailing = candidate;
            return true;
        }
        return false;
    }
}
