/** How the command line prints results: aligned tables for people, JSON lines for programs. */
package io.runnel.cli.output;
