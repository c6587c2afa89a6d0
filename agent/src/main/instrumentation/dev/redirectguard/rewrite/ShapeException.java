package dev.redirectguard.rewrite;

import java.util.List;

/** A JDK class does not have the code shape a rewrite expects: it is left exactly as the JDK shipped it. */
public final class ShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    ShapeException(List<String> problems) {
        super(problems.toString());
    }

    ShapeException(String problem) {
        super("[" + problem + "]");
    }
}
