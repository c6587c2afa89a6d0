import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.matcher.ElementMatchers;

import java.lang.instrument.Instrumentation;

/**
 * The comparison point for start-up: a plain Byte Buddy AgentBuilder with one no-op advice on
 * HttpURLConnection.followRedirect0, as an advice-based redirect agent would start.
 */
public class AdviceAgent {
    public static void premain(String args, Instrumentation inst) {
        new AgentBuilder.Default()
                .ignore(ElementMatchers.none())
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .disableClassFormatChanges()
                .type(ElementMatchers.named("sun.net.www.protocol.http.HttpURLConnection"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(NoOpAdvice.class).on(ElementMatchers.named("followRedirect0"))))
                .installOn(inst);
    }
}
