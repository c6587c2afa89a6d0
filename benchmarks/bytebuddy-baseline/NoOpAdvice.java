import net.bytebuddy.asm.Advice;

/** Does nothing: what is measured is Byte Buddy itself. */
public class NoOpAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(1) int status) {
    }
}
