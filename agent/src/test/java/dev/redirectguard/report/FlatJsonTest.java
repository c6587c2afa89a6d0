package dev.redirectguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
    @Test
    void readsStringsNumbersBooleansNullAndEscapes() {
        Map<String, Object> m = FlatJson.parse("{\"rule\":\"get-after-303\",\"status\":303,\"ratio\":0.5,\"ok\":true,"
                + "\"caller\":null,\"detail\":\"a \\\"b\\\" \\\\ \\u00e9\\n\"}");
        assertEquals("get-after-303", m.get("rule"));
        assertEquals(303L, m.get("status"));
        assertEquals(0.5, m.get("ratio"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertNull(m.get("caller"));
        assertEquals("a \"b\" \\ \u00e9\n", m.get("detail"));
    }

    @Test
    void refusesWhatIsNotAFlatObject() {
        assertNull(FlatJson.parse("[1,2]"));
        assertNull(FlatJson.parse("{\"a\":1"));
        assertNull(FlatJson.parse("{\"a\":{\"b\":1}}"));
        assertNull(FlatJson.parse("{\"a\":1} trailing"));
    }
}
