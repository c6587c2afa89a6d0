/**
 * The {@code report} command: reads agent logs ({@code FlatJson}, the one flat JSON reader of the
 * project) and summarises them per rule, caller and target. Plain Java 8; runs in the command
 * line's JVM.
 */
package dev.redirectguard.report;
