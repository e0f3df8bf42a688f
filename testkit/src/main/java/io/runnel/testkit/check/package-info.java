/**
 * Judges a fault test: {@link io.runnel.testkit.check.HistoryChecker} finds the anomalies of Jepsen's Kafka
 * workload in a {@link io.runnel.testkit.workload.History}; {@link io.runnel.testkit.check.ReplicaLogChecker}
 * compares replicas' segment files batch by batch below the high watermark; a
 * {@link io.runnel.testkit.check.FaultReport} sums a run up in one line;
 * {@link io.runnel.testkit.check.TransactionalHistoryChecker} judges what a read_committed reader saw against
 * the transactions producers sent. Pure functions of their inputs,
 * tested on synthetic histories and hand-made logs.
 */
package io.runnel.testkit.check;
