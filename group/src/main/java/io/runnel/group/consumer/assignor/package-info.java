/**
 * Server-side partition assignors of the consumer group protocol ({@code group.consumer.assignors}):
 * {@link io.runnel.group.consumer.assignor.UniformAssignor} ("uniform", the default) and
 * {@link io.runnel.group.consumer.assignor.RangeAssignor} ("range"). Assignors are pure functions
 * of their input and are called on the coordinator thread.
 */
package io.runnel.group.consumer.assignor;
