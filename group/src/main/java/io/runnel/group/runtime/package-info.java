/**
 * How the group state machines write their records: {@link io.runnel.group.runtime.GroupRecordWriter}
 * and its implementation over the shared coordinator writer. Time, timers and the coordinator thread
 * come from {@code io.runnel.coordinator.runtime}.
 */
package io.runnel.group.runtime;
