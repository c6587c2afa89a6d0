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
    void ipv6HostsKeepTheirBrackets() {
        assertEquals("http://[::1]:9000/", Target.of(URI.create("http://[::1]:9000")).toString());
    }
}
