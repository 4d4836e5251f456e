/**
 * What an operator sets: {@link dev.tally.config.TallyConfig} (ports, database, lanes, the admin
 * credential) read through {@link dev.tally.config.Environment}, the one reader of environment
 * variables, which {@code ops.OperationsConfig} uses too. The README's configuration table lists
 * every variable.
 */
package dev.tally.config;
