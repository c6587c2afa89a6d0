package dev.redirectguard.rules;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetTest {
    @Test
    void dropsUserinfoQueryAndFragment() throws Exception {
        assertEquals("https://example.org/a/b",
                Target.of(URI.create("https://user:secret@example.org/a/b?token=1#frag")).toString());
        assertEquals("http://example.org:8080/p",
                Target.of(new URL("http://u:p@example.org:8080/p?q=1")).toString());
    }

    @Test
    void defaultPortsCountAsTheSameOrigin() {
        assertTrue(Target.of("https", "Example.org", -1, "/").sameOrigin(Target.of("HTTPS", "example.org", 443, "/x")));
        assertFalse(Target.of("http", "example.org", -1, "/").sameOrigin(Target.of("https", "example.org", -1, "/")));
        assertFalse(Target.of("http", "a", 80, "/").sameOrigin(Target.of("http", "a", 81, "/")));
    }

    @Test
    void sameOriginOfTwoUrisIsThatOfTheirTargets() throws Exception {
        String[] uris = {"http://a/x", "HTTP://A:80/y", "http://a:8080/", "https://a/", "https://A:443/q?x=1",
            "http://[::1]:9000/", "http://[::1]:9001/", "http://user@a/", "mailto:x@a", "http:/path-only",
            "http://b/", "https://b:80/"};
        int pairs = 0;
        for (String a : uris) {
            for (String b : uris) {
                URI ua = URI.create(a);
                URI ub = URI.create(b);
                assertEquals(Target.of(ua).sameOrigin(Target.of(ub)), Target.sameOrigin(ua, ub), a + " " + b);
                pairs++;
            }
        }
        assertEquals(uris.length * uris.length, pairs);
        String[] urls = {"http://a/x", "HTTP://A:80/y", "http://a:8080/", "https://a/", "https://A:443/q?x=1",
            "http://[::1]:9000/", "http://[::1]:9001/", "http://user@a/", "http://b/", "https://b:80/"};
        for (String a : urls) {
            for (String b : urls) {
                URL ua = new URL(a);
                URL ub = new URL(b);
                assertEquals(Target.of(ua).sameOrigin(Target.of(ub)), Target.sameOrigin(ua, ub), a + " " + b);
            }
        }
        assertTrue(Target.sameOrigin(URI.create("HTTP://A:80/y"), URI.create("http://a/x")));
        assertFalse(Target.sameOrigin(URI.create("http://a/"), URI.create("https://a:80/")));
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        assertEquals("http://[::1]:9000/", Target.of(URI.create("http://[::1]:9000")).toString());
    }
}
