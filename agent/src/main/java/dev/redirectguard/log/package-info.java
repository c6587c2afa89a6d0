/**
 * The JSON Lines log: the record of a violation, its encoding, collapsing, the rate limit and the
 * hand-off to the one writer, with no lock between application threads; the file or stream it is
 * written to. Plain Java 8, no JDK internals; may reference {@code config}. Runs in the agent's
 * class loader; {@code submit} on application threads, the rest on the agent's thread.
 */
package dev.redirectguard.log;
