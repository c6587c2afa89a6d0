package dev.redirectguard.cli;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The values every case sends: {@code Authorization}, {@code Cookie}, {@code X-Custom} and the
 * body, random per doctor run and never part of a URL. The servers compare what arrives with
 * them, and no agent log may contain one. The start URLs carry a random query value too, which
 * the log must not show either.
 */
final class CallerValues {
    /** The Content-Type the child sends with a body (dev.redirectguard.doctor.child.CallerHeaders). */
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    final String authorization;
    final String cookie;
    final String custom;
    final String body;
    final String query;

    private CallerValues(String authorization, String cookie, String custom, String body, String query) {
        this.authorization = authorization;
        this.cookie = cookie;
        this.custom = custom;
        this.body = body;
        this.query = query;
    }

    static CallerValues random() {
        SecureRandom random = new SecureRandom();
        return new CallerValues("Bearer " + hex(random), "sid=" + hex(random), hex(random), "body-" + hex(random),
                hex(random));
    }

    /** The parts that must never reach a log line (the fixed prefixes would be no proof). */
    List<String> secrets() {
        return Arrays.asList(authorization.substring("Bearer ".length()), cookie.substring("sid=".length()), custom,
                body.substring("body-".length()), query);
    }

    /** The case list's first line (dev.redirectguard.doctor.child.DoctorChild). */
    String line() {
        return "caller\t" + authorization + '\t' + cookie + '\t' + custom + '\t' + body;
    }

    private static String hex(SecureRandom random) {
        byte[] b = new byte[12];
        random.nextBytes(b);
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }
}
