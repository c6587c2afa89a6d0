package dev.redirectguard.cli;

import dev.redirectguard.agent.AgentMain;
import dev.redirectguard.agent.RedirectGuardMBean;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import net.bytebuddy.agent.ByteBuddyAgent;

import java.io.File;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Properties;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * list, attach, status and mode. Only {@code attach} loads the agent, through byte-buddy-agent
 * (a dynamic agent load: JDK 21+ warns about it, JEP 451); list reads each JVM's system properties
 * over the JDK's attach API. status and mode read and write the
 * MBean through the target's local JMX connector, which the attach API starts on demand
 * ({@code startLocalManagementAgent}, as jconsole does): no agent load, no warning, no flag, the
 * same on JDK 8 to 25, and a switch applies through the same volatile the hooks read.
 */
public final class AttachCommands {
    /**
     * The attach API these commands already use (jdk.attach, or the tools.jar loader of a JDK 8):
     * byte-buddy-agent's default would load JDK 8's tools.jar a second time, and its native
     * library cannot be loaded by two class loaders.
     */
    private static final ByteBuddyAgent.AttachmentProvider LOADED_ATTACH_API = new ByteBuddyAgent.AttachmentProvider() {
        @Override
        public Accessor attempt() {
            return Accessor.Simple.of(AttachCommands.class.getClassLoader());
        }
    };

    private AttachCommands() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args[0];
        boolean help = args.length > 1 && Cli.isHelp(args[1]);
        try {
            if (command.equals("list")) {
                if (help || args.length != 1) {
                    return usage(help, out, err, "list",
                            "Local JVMs of this user, one a line: pid, tab, main class, tab, agent loaded | not loaded"
                            + " | unknown (why). Exit 0.");
                }
                return list(out);
            }
            if (command.equals("attach")) {
                if (help || args.length < 2 || args.length > 3) {
                    return usage(help, out, err, "attach <pid> [key=value,...]",
                            "Loads the agent into JVM <pid> with these settings (the -javaagent keys), rewriting the"
                            + " HTTP classes it already loaded. If the agent is there already, only the keys given"
                            + " change; nothing is installed twice. Exit 0 done, 1 failed.");
                }
                return attach(args[1], args.length == 3 ? args[2] : "", out, err);
            }
            if (command.equals("status")) {
                if (help || args.length != 2) {
                    return usage(help, out, err, "status <pid>",
                            "Mode, settings, JDK rewrites and non-zero counters of JVM <pid>, read over JMX."
                            + " Exit 0, 1 failed, 3 agent not loaded (or its MBean not registered yet).");
                }
                return status(args[1], out, err);
            }
            if (command.equals("mode")) {
                if (help || args.length < 3 || args.length > 4 || dev.redirectguard.config.Mode.parse(args[2]) == null) {
                    return usage(help, out, err, "mode <pid> off|audit|enforce [key=value,...]",
                            "Switches JVM <pid>; its next redirect hop follows the new mode, and the settings given"
                            + " with it (e.g. enforceRules=same-method-307-308,enforceTargets=api.example.com)."
                            + " Over JMX; if the MBean is not registered yet, by attaching. Exit 0, 1 failed (a bad"
                            + " value changes nothing), 3 agent not loaded.");
                }
                String mode = "mode=" + args[2].trim().toLowerCase(java.util.Locale.ROOT);
                return set(args[1], args.length == 4 ? mode + "," + args[3] : mode, out, err);
            }
            if (command.equals("set")) {
                if (help || args.length != 3) {
                    return usage(help, out, err, "set <pid> key=value,...",
                            "Changes settings of JVM <pid> live (mode, log, enforceRules, enforceTargets,"
                            + " enforceCallers, legacyPostRedirect, stripOnCrossOrigin, logInterval, logRate,"
                            + " logMaxBytes, logFiles): all of them, or none when one is bad. Over JMX; if the MBean"
                            + " is not registered yet, by attaching. Exit 0, 1 failed, 3 agent not loaded.");
                }
                return set(args[1], args[2], out, err);
            }
        } catch (Exception e) {
            err.println("redirect-guard " + command + ": " + e);
            return Cli.FAILED;
        }
        err.println("redirect-guard: unknown command '" + command + "' (try --help)");
        return Cli.USAGE;
    }

    private static int usage(boolean help, PrintStream out, PrintStream err, String synopsis, String text) {
        PrintStream s = help ? out : err;
        s.println("usage: java -jar redirect-guard-agent.jar " + synopsis);
        s.println("  " + text);
        return help ? Cli.OK : Cli.USAGE;
    }

    private static int list(PrintStream out) {
        String self = selfPid();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(self)) {
                continue;
            }
            String agent;
            try {
                VirtualMachine vm = VirtualMachine.attach(d);
                try {
                    agent = vm.getSystemProperties().getProperty(AgentMain.INSTALLED_PROPERTY) != null
                            ? "loaded" : "not loaded";
                } finally {
                    vm.detach();
                }
            } catch (Exception e) {
                agent = "unknown (" + e.getMessage() + ")";
            }
            String main = d.displayName().isEmpty() ? "?" : d.displayName().split(" ")[0];
            out.println(d.id() + "\t" + main + "\t" + agent);
        }
        return Cli.OK;
    }

    private static int attach(String pid, String agentArgs, PrintStream out, PrintStream err) throws Exception {
        File jar = agentJar();
        int feature;
        boolean again;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                Properties props = vm.getSystemProperties();
                feature = feature(props.getProperty("java.specification.version", "8"));
                again = props.getProperty(AgentMain.INSTALLED_PROPERTY) != null;
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            err.println("redirect-guard attach: cannot attach to " + pid + ": " + e.getMessage()
                    + " (same user? started with -XX:+DisableAttachMechanism?)");
            return Cli.FAILED;
        }
        try {
            ByteBuddyAgent.attach(jar, pid, agentArgs, LOADED_ATTACH_API);
        } catch (RuntimeException e) {
            // JDK 8 targets answer a 9+ attach client "0" for success, which 9+ reads as a
            // failure code (JDK-8179063): the agent did load.
            Throwable cause = rootCause(e);
            if (!(cause instanceof com.sun.tools.attach.AgentLoadException
                    && "0".equals(cause.getMessage()))) {
                return refused(pid, feature, jar, cause, err);
            }
        }
        out.println((again ? "settings applied to" : "attached to") + " " + pid + " (Java " + feature + ")"
                + (agentArgs.isEmpty() ? "" : ": " + agentArgs));
        if (feature >= 21) {
            out.println("note: JDK 21+ prints \"WARNING: A Java agent has been loaded dynamically\" on that JVM's"
                    + " stderr (JEP 451); it is expected. Start JVMs with -javaagent:" + jar.getName()
                    + " or -XX:+EnableDynamicAgentLoading to avoid it.");
        }
        return Cli.OK;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static int refused(String pid, int feature, File jar, Throwable e, PrintStream err) {
        err.println("redirect-guard attach: JVM " + pid + " (Java " + feature + ") refused the agent: " + e);
        if (feature >= 21) {
            err.println("  JDK 21+ (JEP 451) refuses agents loaded into a running JVM when it was started with"
                    + " -XX:-EnableDynamicAgentLoading. Restart it with -XX:+EnableDynamicAgentLoading, or load the"
                    + " agent at start with -javaagent:" + jar);
        }
        return Cli.FAILED;
    }

    private static int status(String pid, PrintStream out, PrintStream err) throws Exception {
        Target t = connect(pid, err);
        if (t.code != Cli.OK) {
            return t.code;
        }
        try {
            MBeanServerConnection c = t.connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(RedirectGuardMBean.OBJECT_NAME);
            out.println("pid: " + pid);
            out.println("version: " + c.getAttribute(name, "Version"));
            out.println("mode: " + c.getAttribute(name, "Mode"));
            out.println("settings: " + c.getAttribute(name, "Settings"));
            String[] rewrites = (String[]) c.getAttribute(name, "Rewrites");
            out.println("rewrites: " + (rewrites.length == 0 ? "none yet (no HTTP class loaded)" : ""));
            for (String r : rewrites) {
                out.println("  " + r);
            }
            out.println("totals: observed=" + c.getAttribute(name, "Observed") + " corrected="
                    + c.getAttribute(name, "Corrected") + " refused=" + c.getAttribute(name, "Refused")
                    + " droppedLines=" + c.getAttribute(name, "DroppedLines"));
            out.println("counters (rule client action scope count, non-zero):");
            TabularData table = (TabularData) c.getAttribute(name, "Counters");
            for (Object row : table.values()) {
                CompositeData r = (CompositeData) row;
                if ((Long) r.get("count") != 0) {
                    out.println("  " + r.get("rule") + " " + r.get("client") + " " + r.get("action") + " "
                            + r.get("scope") + " " + r.get("count"));
                }
            }
            return Cli.OK;
        } catch (InstanceNotFoundException e) {
            return notRegistered(pid, t, err);
        } finally {
            t.connector.close();
        }
    }

    private static int set(String pid, String changes, PrintStream out, PrintStream err) throws Exception {
        Target t = connect(pid, err);
        if (t.code != Cli.OK) {
            return t.code;
        }
        try {
            MBeanServerConnection c = t.connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(RedirectGuardMBean.OBJECT_NAME);
            String before = (String) c.getAttribute(name, "Settings");
            String modeBefore = (String) c.getAttribute(name, "Mode");
            String after;
            try {
                after = (String) c.invoke(name, "set", new Object[] {changes}, new String[] {String.class.getName()});
            } catch (javax.management.MBeanException | javax.management.RuntimeMBeanException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                err.println("redirect-guard: " + pid + ": " + cause.getMessage());
                return Cli.FAILED;
            }
            out.println(pid + ": settings " + (before.equals(after) ? "unchanged: " : "") + after);
            if (changes.startsWith("mode=")) {
                out.println(pid + ": mode " + modeBefore + " -> " + c.getAttribute(name, "Mode"));
            }
            return Cli.OK;
        } catch (InstanceNotFoundException e) {
            if (!t.installed) {
                return notRegistered(pid, t, err);
            }
            // Installed, MBean not registered yet (jmx delay, or jmx=off): attaching applies the keys.
            t.connector.close();
            return attach(pid, changes, out, err);
        } finally {
            t.connector.close();
        }
    }

    private static int notRegistered(String pid, Target t, PrintStream err) {
        if (t.installed) {
            err.println("redirect-guard: the agent is loaded in " + pid + " but its MBean is not registered"
                    + " (registered a few seconds after start, unless jmx=off)");
        } else {
            err.println("redirect-guard: the agent is not loaded in " + pid
                    + " (load it with: java -jar redirect-guard-agent.jar attach " + pid + ")");
        }
        return Cli.NOT_LOADED;
    }

    /** A JMX connection to the target's local connector, or why there is none. */
    private static final class Target {
        int code;
        boolean installed;
        JMXConnector connector;
    }

    private static Target connect(String pid, PrintStream err) throws Exception {
        Target t = new Target();
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (Exception e) {
            err.println("redirect-guard: cannot attach to " + pid + ": " + e.getMessage());
            t.code = Cli.FAILED;
            return t;
        }
        String address;
        try {
            t.installed = vm.getSystemProperties().getProperty(AgentMain.INSTALLED_PROPERTY) != null;
            if (!t.installed) {
                err.println("redirect-guard: the agent is not loaded in " + pid
                        + " (load it with: java -jar redirect-guard-agent.jar attach " + pid + ")");
                t.code = Cli.NOT_LOADED;
                return t;
            }
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        t.connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        return t;
    }

    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String selfPid() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    private static File agentJar() throws Exception {
        File f = new File(AttachCommands.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!f.isFile()) {
            throw new IllegalStateException("not run from the agent jar (" + f + ")");
        }
        return f;
    }
}
