/** {@code runnel cluster}: the cluster as the Admin API describes it. */
package io.runnel.cli.cluster;
