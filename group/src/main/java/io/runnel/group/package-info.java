/**
 * The group coordinator: consumer groups (the classic protocol and KIP-848's consumer protocol) and
 * their committed offsets. All state is owned by one coordinator thread; every change that must
 * survive a restart is written as a record to the group's {@code __consumer_offsets} partition
 * before the client is answered, and a restart rebuilds the state by replaying those records.
 */
package io.runnel.group;
