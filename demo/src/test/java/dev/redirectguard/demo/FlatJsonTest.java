package dev.redirectguard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    @Test
    void readsStringsNumbersNullAndEscapes() {
        Map<String, String> m = FlatJson.parse(
                "{\"rule\":\"get-after-303\",\"status\":303,\"caller\":null,\"detail\":\"a \\\"b\\\" \\\\ \\u00e9\\n\"}");
        assertEquals("get-after-303", m.get("rule"));
        assertEquals("303", m.get("status"));
        assertNull(m.get("caller"));
        assertEquals("a \"b\" \\ \u00e9\n", m.get("detail"));
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1"));
    }
}
