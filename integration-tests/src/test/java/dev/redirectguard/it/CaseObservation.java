package dev.redirectguard.it;

import dev.redirectguard.it.child.ChildCase;

import java.util.List;

/** Everything seen for one case in one run: the caller's result and what both hops' servers received. */
record CaseObservation(RedirectCase c, ChildResult result, List<RecordedRequest> startRequests,
                       List<RecordedRequest> targetRequests) {

    /** The request the case asked for, as it must reach the start path. */
    static RecordedRequest intendedStart(RedirectCase c) {
        String id = c.id();
        return new RecordedRequest(RecordingServers.Origin.startOf(c), c.method(),
                c.hasBody() ? ChildCase.body(id) : "", c.hasBody() ? ChildCase.CONTENT_TYPE : null,
                ChildCase.authorization(id), ChildCase.cookie(id), ChildCase.custom(id));
    }

    /**
     * The first hop went out once, exactly as the case intended. Only then are the redirect rules
     * rated: a request the client refused or altered at set-up says nothing about redirects.
     */
    boolean sentAsIntended() {
        return result != null && result.setupOk() && startRequests.equals(List.of(intendedStart(c)));
    }

    RecordedRequest target() {
        return targetRequests.isEmpty() ? null : targetRequests.get(0);
    }
}
