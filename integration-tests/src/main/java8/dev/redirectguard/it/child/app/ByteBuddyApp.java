package dev.redirectguard.it.child.app;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.loading.ClassReloadingStrategy;
import net.bytebuddy.implementation.FixedValue;

/**
 * An application with its own Byte Buddy (the version on its class path, not the agent's): it
 * installs Byte Buddy's agent into itself, redefines one of its classes, creates a subclass, and
 * then makes its HTTP calls (arguments as {@link AppCalls}). Prints {@code bytebuddy<TAB>...}
 * lines saying which Byte Buddy did what.
 */
public final class ByteBuddyApp {
    private ByteBuddyApp() {
    }

    public static class Greeter {
        public String greet() {
            return "hello";
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("bytebuddy\tjar\t" + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());
        Instrumentation inst = ByteBuddyAgent.install();
        System.out.println("bytebuddy\tinstalled\t" + (inst != null));
        new ByteBuddy().redefine(Greeter.class).method(named("greet")).intercept(FixedValue.value("redefined"))
                .make().load(Greeter.class.getClassLoader(), ClassReloadingStrategy.fromInstalledAgent());
        System.out.println("bytebuddy\tredefine\t" + new Greeter().greet());
        Class<? extends Greeter> sub = new ByteBuddy().subclass(Greeter.class).method(named("greet"))
                .intercept(FixedValue.value("subclass")).make()
                .load(ByteBuddyApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        System.out.println("bytebuddy\tsubclass\t" + sub.getDeclaredConstructor().newInstance().greet());
        System.out.flush();
        String[] calls = new String[args.length - 1];
        System.arraycopy(args, 1, calls, 0, calls.length);
        AppCalls.run(args[0], calls);
    }
}
