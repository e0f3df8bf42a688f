/**
 * The consumer group protocol of KIP-848 ({@code group.protocol=consumer}): ConsumerGroupHeartbeat
 * with server-side assignment, and ConsumerGroupDescribe.
 *
 * <p>Every change is computed as {@link io.runnel.group.record.GroupRecord}s, written through the
 * {@link io.runnel.group.runtime.GroupRecordWriter} and only then applied by
 * {@link io.runnel.group.consumer.ConsumerGroupManager#replay}, the same method that rebuilds the
 * groups when the coordinator loads its partition. All types here are confined to the coordinator
 * thread.
 */
package io.runnel.group.consumer;
