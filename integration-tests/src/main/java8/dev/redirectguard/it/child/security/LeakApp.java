package dev.redirectguard.it.child.security;

import java.io.File;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A container that redeploys a web application: it loads {@link LeakPlugin} in a class loader of
 * its own (over the child classes directory, parent the JDK's loader, so it never delegates to
 * the application class loader), runs it on a thread of a new thread group with that loader as
 * context class loader, then drops every reference and waits, a garbage collection at a time,
 * until a {@link WeakReference} to the loader is enqueued: an event, bounded only by a generous
 * failure limit. Java 8.
 *
 * <p>Arguments: {@code <base url> <plugin classes dir> <call>...}. Output: the plugin's
 * {@code result} lines, {@code agent-thread} lines (AgentThreads) after the calls and again at
 * the end, then {@code plugin-loader<TAB>collected after <n> GCs} or
 * {@code plugin-loader<TAB>NOT collected ...} with every live thread, and {@code done}.
 */
public final class LeakApp {
    static final String PLUGIN = "dev.redirectguard.it.child.security.LeakPlugin";
    private static final long GIVE_UP_SECONDS = 120;

    private LeakApp() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        URL pluginClasses = new File(args[1]).toURI().toURL();
        String[] calls = new String[args.length - 2];
        System.arraycopy(args, 2, calls, 0, calls.length);

        ReferenceQueue<ClassLoader> queue = new ReferenceQueue<ClassLoader>();
        Reference<ClassLoader> loader = runPlugin(base, pluginClasses, calls, queue);
        print("after-calls");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        int gcs = 0;
        Reference<?> collected = null;
        while (collected == null && System.nanoTime() - deadline < 0) {
            System.gc();
            gcs++;
            collected = queue.remove(200);
        }
        if (collected == loader) {
            System.out.println("plugin-loader\tcollected after " + gcs + " GCs");
        } else {
            System.out.println("plugin-loader\tNOT collected after " + gcs + " GCs in " + GIVE_UP_SECONDS + " s");
            for (String t : AgentThreads.everyThread()) {
                System.out.println("live-thread\t" + t);
            }
        }
        print("at-end");
        System.out.println("done");
        System.out.flush();
    }

    private static void print(String when) {
        for (String line : AgentThreads.describe()) {
            System.out.println(line + "\t" + when);
        }
        System.out.flush();
    }

    /** Everything that names the plugin's loader lives in this frame, gone when it returns. */
    @SuppressWarnings("unchecked")
    private static Reference<ClassLoader> runPlugin(String base, URL classes, String[] calls,
                                                    ReferenceQueue<ClassLoader> queue) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getSystemClassLoader().getParent());
        Reference<ClassLoader> ref = new WeakReference<ClassLoader>(loader, queue);
        Callable<String> plugin = (Callable<String>) Class.forName(PLUGIN, true, loader)
                .getConstructor(String.class, String[].class).newInstance(base, calls);
        ThreadGroup group = new ThreadGroup("plugin-group");
        PluginRun run = new PluginRun(plugin);
        Thread thread = new Thread(group, run, "plugin-thread");
        thread.setContextClassLoader(loader);
        thread.start();
        thread.join();
        System.out.print(run.result);
        System.out.flush();
        loader.close();
        return ref;
    }

    private static final class PluginRun implements Runnable {
        private Callable<String> plugin;
        volatile String result;

        PluginRun(Callable<String> plugin) {
            this.plugin = plugin;
        }

        @Override
        public void run() {
            try {
                result = plugin.call();
            } catch (Throwable t) {
                result = "result\tplugin\texception " + t + "\n";
            } finally {
                plugin = null;
            }
        }
    }
}
