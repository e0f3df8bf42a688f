/** The {@code runnel} command line (picocli). */
package io.runnel.cli;
