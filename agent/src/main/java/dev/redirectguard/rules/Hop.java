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
    private final Set<String> callerBodyHeaders;

    /**
     * @param callerHeaders names of the headers the request carried (any case): the caller's own,
     *     and the body headers that went with its body (Content-Type, also when the client added it)
     */
    public Hop(int status, String method, BodyKind body, Target from, Target to, Iterable<String> callerHeaders) {
        this.status = status;
        this.method = method;
        this.body = body;
        this.from = from;
        this.to = to;
        Set<String> names = new LinkedHashSet<String>();
        Set<String> bodyNames = new LinkedHashSet<String>();
        for (String name : callerHeaders) {
            if (name != null) {
                (Headers.isBodyHeader(name) ? bodyNames : names).add(name.toLowerCase(Locale.ROOT));
            }
        }
        this.callerHeaders = Collections.unmodifiableSet(names);
        this.callerBodyHeaders = Collections.unmodifiableSet(bodyNames);
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

    /** Lower-case names of the body headers that went with the body; empty when there were none to send again. */
    public Set<String> callerBodyHeaders() {
        return callerBodyHeaders;
    }

    public boolean sameOrigin() {
        return from.sameOrigin(to);
    }

    public boolean downgrade() {
        return "https".equals(from.scheme()) && "http".equals(to.scheme());
    }
}
