/**
 * The programs {@code doctor} runs in child JVMs of the Java it checks: the application side of a
 * self-test, making the redirecting calls with both clients. At the agent jar's root, loaded by the
 * application class loader ({@code java -cp redirect-guard-agent.jar ...}); JDK types only (never
 * another agent package: those live in the agent's own loader), class file 52; the HttpClient
 * cases load by name on 11+ only.
 */
package dev.redirectguard.doctor.child;
