/** {@code runnel produce}: records from the lines of standard input. */
package io.runnel.cli.produce;
