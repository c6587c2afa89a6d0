/**
 * The agent jar's bootstrap: {@code Premain-Class}/{@code Agent-Class} and {@code Main-Class}, the
 * only agent classes at the jar's root. Loaded by the application class loader (which put the jar
 * on its class path); JDK types only, class file 52, and no state: each entry point creates the
 * agent's own loader ({@code AgentLoader}, which reads Byte Buddy and ASM from the jar's stored
 * inner zip through {@code EngineArchive}) and hands over to {@code dev.redirectguard.agent} or
 * {@code dev.redirectguard.cli} inside it. {@code LoadTargets} is the child program of {@code check}.
 */
package dev.redirectguard.boot;
