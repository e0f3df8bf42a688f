package io.runnel.cli.transaction;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.KafkaResults;
import io.runnel.cli.output.Table;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import picocli.CommandLine.Command;

/**
 * {@code runnel transaction list}: every transactional id the coordinators hold (ListTransactions to
 * every broker), sorted, with its coordinator, state, producer id and epoch, how long its open
 * transaction has run and how many partitions it has (DescribeTransactions). An id that expired
 * between the two requests is shown with what the listing said.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List transactional ids with coordinator, state, producer id and epoch, duration and partition count.")
final class TransactionListCommand extends ClientCommand {

    /** A listed id and the coordinator that listed it. */
    private record Listed(int coordinator, TransactionListing listing) {
    }

    @Override
    protected int execute() throws InterruptedException {
        Table table = new Table("TRANSACTIONAL-ID", "COORDINATOR", "STATE", "PRODUCER-ID", "EPOCH", "DURATION", "PARTITIONS");
        try (Admin admin = client.newAdmin()) {
            Map<String, Listed> listed = list(admin);
            Map<String, TransactionDescription> described = TransactionLookup.describe(admin, listed.keySet());
            long nowMs = System.currentTimeMillis();
            listed.forEach((id, entry) -> {
                TransactionDescription description = described.get(id);
                if (description == null) {
                    table.row(id, entry.coordinator(), entry.listing().state(), entry.listing().producerId(), null, null, null);
                } else {
                    table.row(id, description.coordinatorId(), description.state(), description.producerId(), description.producerEpoch(),
                            TransactionLookup.duration(description, nowMs), description.topicPartitions().size());
                }
            });
        }
        table.print(out());
        return 0;
    }

    /** Every broker's listing, by transactional id, sorted. */
    private static Map<String, Listed> list(Admin admin) throws InterruptedException {
        Map<String, Listed> listed = new TreeMap<>();
        Map<Integer, Collection<TransactionListing>> byBroker = KafkaResults.get(admin.listTransactions().allByBrokerId());
        byBroker.forEach((broker, listings) -> listings.forEach(listing -> listed.put(listing.transactionalId(), new Listed(broker, listing))));
        return listed;
    }
}
