package io.runnel.cli.transaction;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import io.runnel.cli.output.Table;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel transaction describe <id>...}: per transactional id its state, coordinator, producer id
 * and epoch, transaction timeout, when its open transaction began and how long it has run, and the
 * partitions in it (DescribeTransactions to its coordinator). An id no coordinator holds is a failure.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a transactional id's state, coordinator, producer, timeout, start, duration and partitions.")
final class TransactionDescribeCommand extends ClientCommand {

    @Parameters(arity = "1..*", paramLabel = "transactional-id", description = "The transactional ids to describe.")
    private List<String> transactionalIds;

    @Override
    protected int execute() throws InterruptedException {
        Map<String, TransactionDescription> descriptions;
        try (Admin admin = client.newAdmin()) {
            descriptions = TransactionLookup.describe(admin, transactionalIds);
        }
        long nowMs = System.currentTimeMillis();
        for (String id : transactionalIds) {
            TransactionDescription description = descriptions.get(id);
            if (description == null) {
                throw CommandFailure.noSuchTransactionalId(id);
            }
            if (!id.equals(transactionalIds.get(0))) {
                out().println();
            }
            print(id, description, nowMs);
        }
        return 0;
    }

    private void print(String id, TransactionDescription description, long nowMs) {
        String duration = TransactionLookup.duration(description, nowMs);
        out().println("Transactional id: " + id + "  State: " + description.state() + "  Coordinator: " + description.coordinatorId());
        out().println("Producer id: " + description.producerId() + "  Epoch: " + description.producerEpoch()
                + "  Timeout: " + description.transactionTimeoutMs() + " ms");
        String started = duration == null ? Table.NONE : Instant.ofEpochMilli(description.transactionStartTimeMs().getAsLong()).toString();
        out().println("Started: " + started + "  Duration: " + (duration == null ? Table.NONE : duration));
        List<TopicPartition> partitions = description.topicPartitions().stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)).toList();
        if (partitions.isEmpty()) {
            out().println("Partitions: none");
            return;
        }
        Table table = new Table("TOPIC", "PARTITION");
        partitions.forEach(partition -> table.row(partition.topic(), partition.partition()));
        table.print(out());
    }
}
