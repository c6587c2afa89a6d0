/**
 * The running agent: the entry point ({@code AgentMain}), the transformer, the bridge's installer,
 * the hooks that adapt the JDK's redirect steps to the rules, the agent's thread, the MBean.
 * Loaded by the agent's own class loader ({@code AgentLoader}, over the platform loader; the
 * extension loader on 8), which the application cannot name. May reference the JDK (internals
 * through the bridge and the rewritten code only), {@code rules}, {@code config}, {@code log},
 * {@code rewrite}. Classes naming java.net.http ({@code HttpClientHops}) or JDK 9+ API
 * ({@code Threads9}, {@code WalkedFrames}, {@code ModuleAccess}, {@code BootInjector}) load only
 * on the JDKs that have it. Class file 52.
 */
package dev.redirectguard.agent;
