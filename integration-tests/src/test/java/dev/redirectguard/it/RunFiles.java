package dev.redirectguard.it;

import java.nio.file.Path;

/** The files of one child run, all kept in the run's directory under target/it-runs for inspection. */
record RunFiles(Path dir, Path cases, Path results, Path agentLog, Path stdout, Path stderr, Path mismatches) {
    static RunFiles in(Path dir) {
        return new RunFiles(dir, dir.resolve("cases.tsv"), dir.resolve("results.jsonl"), dir.resolve("agent-log.jsonl"),
                dir.resolve("stdout.txt"), dir.resolve("stderr.txt"), dir.resolve("mismatches.txt"));
    }
}
