package dev.redirectguard.agent;

import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.Rule;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardMBeanTest {
    @Test
    void modeSettingsCountersAndResetOverThePlatformServer() throws Exception {
        GuardState state = new GuardState(Settings.defaults());
        new GuardMBean(state, List.of("sun.net.www.protocol.http.HttpURLConnection: rewritten"), "test", () -> 1L)
                .register();
        // A second agent copy replaces the first registration instead of failing.
        new GuardMBean(state, List.of(), "test", () -> 7L).register();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(RedirectGuardMBean.OBJECT_NAME);
        try {
            assertEquals("audit", server.getAttribute(name, "Mode"));
            assertEquals(7L, server.getAttribute(name, "SuppressedErrors"));
            server.setAttribute(name, new Attribute("Mode", "ENFORCE"));
            assertEquals("enforce", state.settings().mode().id());
            assertTrue(((String) server.getAttribute(name, "Settings")).startsWith("mode=enforce,log=stderr,"));
            assertThrows(Exception.class, () -> server.setAttribute(name, new Attribute("Mode", "strict")));
            assertEquals("enforce", server.getAttribute(name, "Mode"));

            state.counters().count(Rule.GET_AFTER_303, "HttpClient", Reporter.CORRECTED);
            state.counters().count(Rule.GET_AFTER_303, "HttpClient", Reporter.CORRECTED);
            state.counters().count(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, "target");
            state.counters().droppedLines(3);
            TabularData table = (TabularData) server.getAttribute(name, "Counters");
            assertEquals(Rule.values().length * 2 * 3 * 4, table.size());
            assertEquals(List.of("rule", "client", "action", "scope"), table.getTabularType().getIndexNames());
            CompositeData row = table.get(new Object[] {"get-after-303", "HttpClient", "corrected", "none"});
            assertEquals(2L, row.get("count"));
            assertEquals(1L, table.get(new Object[] {"get-after-303", "HttpClient", "observed", "target"}).get("count"));
            assertEquals(0L, table.get(new Object[] {"get-after-303", "HttpClient", "observed", "none"}).get("count"));
            assertEquals(2L, server.getAttribute(name, "Corrected"));
            assertEquals(1L, server.getAttribute(name, "Observed"));
            assertEquals(3L, server.getAttribute(name, "DroppedLines"));
            server.invoke(name, "resetCounters", null, null);
            assertEquals(0L, server.getAttribute(name, "Corrected"));
            assertEquals(0L, server.getAttribute(name, "DroppedLines"));
        } finally {
            server.unregisterMBean(name);
        }
    }
}
