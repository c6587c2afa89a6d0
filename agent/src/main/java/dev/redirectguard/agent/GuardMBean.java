package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.rules.Rule;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.LongSupplier;
import javax.management.MBeanServer;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * The MBean behind {@link RedirectGuardMBean}. Loaded only when it is registered (seconds after
 * start-up, or on attach), never on the start-up path: the platform MBean server costs tens of ms.
 */
final class GuardMBean implements RedirectGuardMBean {
    private static final String[] COLUMNS = {"rule", "client", "action", "scope", "count"};
    private static final String[] INDEX = {"rule", "client", "action", "scope"};

    private final GuardState state;
    private final List<String> rewrites;
    private final String version;
    private final LongSupplier suppressedErrors;
    private final TabularType tableType;
    private final CompositeType rowType;

    GuardMBean(GuardState state, List<String> rewrites, String version, LongSupplier suppressedErrors)
            throws OpenDataException {
        this.state = state;
        this.rewrites = rewrites;
        this.version = version;
        this.suppressedErrors = suppressedErrors;
        rowType = new CompositeType("RedirectGuardCounter", "violations of one rule, client, action and scope",
                COLUMNS, new String[] {"rule id", "HttpURLConnection or HttpClient", "observed, corrected or refused",
                    "none, or why enforce only observed the hop: out of enforceRules (rule), enforceTargets (target)"
                        + " or enforceCallers (caller)", "violations"},
                new OpenType<?>[] {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
                    SimpleType.LONG});
        tableType = new TabularType("RedirectGuardCounters", "violations per rule, client, action and scope", rowType,
                INDEX);
    }

    /**
     * Registers on the platform MBean server, replacing a bean of an earlier agent copy (a
     * different class loader), so the name always reaches the live one.
     */
    void register() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(standard(), name);
    }

    @Override
    public long getSuppressedErrors() {
        return suppressedErrors.getAsLong();
    }

    private StandardMBean standard() throws NotCompliantMBeanException {
        return new StandardMBean(this, RedirectGuardMBean.class);
    }

    @Override
    public String getMode() {
        return state.settings().mode().id();
    }

    @Override
    public void setMode(String text) {
        Mode mode = text == null ? null : Mode.parse(text);
        if (mode == null) {
            throw new IllegalArgumentException("mode '" + text + "' is not off, audit or enforce");
        }
        state.apply(state.settings().withMode(mode));
    }

    @Override
    public String set(String changes) {
        java.util.List<String> errors = new java.util.ArrayList<String>();
        dev.redirectguard.config.Settings next = dev.redirectguard.config.SettingsParser.apply(state.settings(), changes,
                errors);
        if (!errors.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String e : errors) {
                b.append(b.length() == 0 ? "" : "; ").append(e);
            }
            throw new IllegalArgumentException(b.toString());
        }
        state.apply(next);
        return next.toString();
    }

    @Override
    public String getSettings() {
        return state.settings().toString();
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String[] getRewrites() {
        return rewrites.toArray(new String[0]);
    }

    @Override
    public TabularData getCounters() {
        Counters counters = state.counters();
        TabularDataSupport table = new TabularDataSupport(tableType);
        try {
            for (Rule rule : Rule.values()) {
                for (String client : Counters.CLIENTS) {
                    for (String action : Counters.ACTIONS) {
                        for (String scope : Counters.SCOPES) {
                            table.put(new CompositeDataSupport(rowType, COLUMNS, new Object[] {rule.id(), client,
                                action, scope, counters.get(rule, client, action, scope)}));
                        }
                    }
                }
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException(e); // the row type is fixed: cannot happen
        }
        return table;
    }

    @Override
    public long getObserved() {
        return state.counters().total(Reporter.OBSERVED);
    }

    @Override
    public long getCorrected() {
        return state.counters().total(Reporter.CORRECTED);
    }

    @Override
    public long getRefused() {
        return state.counters().total(Reporter.REFUSED);
    }

    @Override
    public long getDroppedLines() {
        return state.counters().droppedLines();
    }

    @Override
    public void resetCounters() {
        state.counters().reset();
    }
}
