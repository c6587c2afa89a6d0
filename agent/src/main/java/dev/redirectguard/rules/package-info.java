/**
 * RFC 9110's redirect rules as pure functions: a hop and a client's next request in, the request
 * the rules ask for, the rules broken and, per enforced rule, the next request out. Plain Java 8,
 * no JDK internals, no state; unit tested without an agent. Runs in the agent's class loader (and
 * the command line's).
 */
package dev.redirectguard.rules;
