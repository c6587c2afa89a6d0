package dev.redirectguard.it.sequence;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a short plan that still shows a failure, by running candidates again in fresh child
 * JVMs (without the agent and in the failing mode): first the failing sequence alone, else it
 * with the sequences before it (whose state it may need) less those it does not need; then
 * without each step it does not need, then without each call of a step of several calls. A
 * candidate "still fails" when it shows a mismatch of the same kind as the one being shrunk.
 * Bounded by a number of trials, never by time.
 */
public final class Shrinker {
    /** Runs a candidate plan (none and the mode) and returns the mode's mismatches; empty when it passes. */
    public interface Trial {
        List<SequenceOracle.Mismatch> run(Plan candidate) throws Exception;
    }

    /** The shortest plan found, what it shows, and how many trials it took. */
    public record Result(Plan plan, List<SequenceOracle.Mismatch> mismatches, int trials, String note) {
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
        List<Plan.Sequence> current;
        if (s.fails(full.with(List.of(failing)))) {
            current = new ArrayList<>(List.of(failing));
        } else {
            List<Plan.Sequence> prefix = full.sequences().stream().filter(q -> q.index() <= seq).toList();
            if (!s.fails(full.with(prefix))) {
                return new Result(full.with(List.of(failing)), List.of(), s.trials,
                        "not reproduced by the sequences up to " + seq + " in fresh JVMs: it needs a later state,"
                                + " or it depends on thread timing (the agent's, since none and audit are compared as multisets)");
            }
            current = new ArrayList<>(prefix);
            for (int i = 0; i < current.size() - 1 && s.left(); ) {
                List<Plan.Sequence> candidate = new ArrayList<>(current);
                candidate.remove(i);
                if (s.fails(full.with(candidate))) {
                    current = candidate;
                } else {
                    i++;
                }
            }
        }
        // Steps, then calls of steps with several.
        for (int q = 0; q < current.size() && s.left(); q++) {
            for (int st = 0; st < current.get(q).steps().size() && s.left(); ) {
                Plan.Sequence seqNow = current.get(q);
                if (seqNow.steps().size() == 1 && current.size() == 1) {
                    break;
                }
                List<Plan.Sequence> candidate = new ArrayList<>(current);
                List<Plan.Step> steps = new ArrayList<>(seqNow.steps());
                steps.remove(st);
                if (steps.isEmpty()) {
                    candidate.remove(q);
                } else {
                    candidate.set(q, new Plan.Sequence(seqNow.index(), steps));
                }
                if (s.fails(full.with(candidate))) {
                    current = candidate;
                    if (steps.isEmpty()) {
                        q--;
                        break;
                    }
                } else {
                    st++;
                }
            }
        }
        for (int q = 0; q < current.size() && s.left(); q++) {
            for (int st = 0; st < current.get(q).steps().size(); st++) {
                for (int k = 0; current.get(q).steps().get(st).calls().size() > 1
                        && k < current.get(q).steps().get(st).calls().size() && s.left(); ) {
                    Plan.Sequence seqNow = current.get(q);
                    Plan.Step step = seqNow.steps().get(st);
                    List<Plan.Call> callsLeft = new ArrayList<>(step.calls());
                    callsLeft.remove(k);
                    List<Plan.Step> steps = new ArrayList<>(seqNow.steps());
                    steps.set(st, new Plan.Step(step.seq(), step.index(), step.parallel(), callsLeft));
                    List<Plan.Sequence> candidate = new ArrayList<>(current);
                    candidate.set(q, new Plan.Sequence(seqNow.index(), steps));
                    if (s.fails(full.with(candidate))) {
                        current = candidate;
                    } else {
                        k++;
                    }
                }
            }
        }
        Plan shortest = full.with(current);
        if (!shortest.equals(s.lastFailing) && !s.fails(shortest)) {
            // The last trial that failed was a longer candidate; the shortest must be shown failing.
            return new Result(shortest, List.of(), s.trials, "the shortest candidate did not fail again");
        }
        return new Result(shortest, s.lastFailure, s.trials, s.left() ? "" : "trial budget used up: may shrink further");
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
