/**
 * The rewrites of the five JDK classes, with Byte Buddy (relocated): {@code Advice} where a
 * decision sits at a method's exit, ASM method visitors (Byte Buddy's embedded ASM) for the edits
 * in the middle of methods, and the shape checks that leave a class of another shape untouched.
 * Loaded by the agent's class loader at the first HTTP class, never at start-up
 * ({@code RewriteTargets}, names only, excepted). The advice classes are never loaded as classes:
 * their bytecode is inlined into the JDK's, so they name only JDK types and
 * {@code java.lang.RedirectGuardBridge}. {@code RewriteCheck} uses ASM (relocated) as the referee.
 */
package dev.redirectguard.rewrite;
