package dev.redirectguard.rules;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** One redirect hop as the caller made it: the 3xx status, the request that got it, and where it points. */
public final class Hop {
    private final int status;
    private final String method;
    private final BodyKind body;
    private final Target from;
    private final Target to;
    private final Set<String> callerHeaders;

    /** @param callerHeaders names of the headers the caller set itself (any case); body headers are ignored */
    public Hop(int status, String method, BodyKind body, Target from, Target to, Iterable<String> callerHeaders) {
        this.status = status;
        this.method = method;
        this.body = body;
        this.from = from;
        this.to = to;
        Set<String> names = new LinkedHashSet<String>();
        for (String name : callerHeaders) {
            if (name != null && !Headers.isBodyHeader(name)) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        this.callerHeaders = Collections.unmodifiableSet(names);
    }

    public int status() {
        return status;
    }

    public String method() {
        return method;
    }

    public BodyKind body() {
        return body;
    }

    public Target from() {
        return from;
    }

    public Target to() {
        return to;
    }

    /** Lower-case names of the caller's own non-body headers. */
    public Set<String> callerHeaders() {
        return callerHeaders;
    }

    public boolean sameOrigin() {
        return from.sameOrigin(to);
    }

    public boolean downgrade() {
        return "https".equals(from.scheme()) && "http".equals(to.scheme());
    }
}
