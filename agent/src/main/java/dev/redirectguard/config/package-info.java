/**
 * The agent's settings: immutable {@code Settings} from agent arguments, the config file, system
 * properties, the environment and defaults, with one error line per bad value; the enforce scope
 * ({@code EnforceScope}). Plain Java 8, no JDK internals; may reference {@code rules}. Runs in the
 * agent's class loader.
 */
package dev.redirectguard.config;
