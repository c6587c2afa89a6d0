package dev.redirectguard.it;

/**
 * What a recording server received for one request. The body is kept as ISO-8859-1 text so
 * every byte maps to one char and equality is byte equality. Header values are null when absent.
 */
record RecordedRequest(RecordingServers.Origin origin, String method, String body, String contentType,
                       String authorization, String cookie, String custom) {
}
