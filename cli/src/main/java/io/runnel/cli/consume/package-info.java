/** {@code runnel consume}: a topic's records on standard output, as plain values, key=value or JSON lines. */
package io.runnel.cli.consume;
