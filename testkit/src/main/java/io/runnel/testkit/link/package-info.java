/**
 * Network faults between the nodes of a test cluster on one machine, without privileges:
 * {@link io.runnel.testkit.link.LinkProxy} is a TCP forwarder that can be cut and healed, and
 * {@link io.runnel.testkit.link.NodeLinks} puts one between every pair of nodes (each node resolves the
 * others' names through a hosts file of its own), so one node can be cut off from the rest.
 */
package io.runnel.testkit.link;
