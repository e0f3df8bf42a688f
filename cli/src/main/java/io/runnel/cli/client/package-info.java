/**
 * What the client commands ({@code topic}, {@code produce}, {@code consume}, {@code group},
 * {@code cluster}, {@code perf}) share: the connection options and client factories, the terminal a
 * command runs in, and the mapping from Kafka client failures to one line and an exit code.
 */
package io.runnel.cli.client;
