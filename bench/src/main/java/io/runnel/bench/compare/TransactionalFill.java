package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills a topic for the {@code read_committed} consume: {@code committed} records of
 * {@link Plan#RECORD_SIZE} bytes in transactions of {@link #TRANSACTION_RECORDS}, each committed, and
 * after every {@link #COMMITS_PER_ABORT} commits one more transaction of the same size aborted. The
 * log then holds commit and abort markers and an aborted-transaction index, so a read_committed
 * fetch gets aborted transactions to skip, as in a real transactional topic. Kafka's
 * {@code ProducerPerformance} only commits, hence this program. Runs as its own JVM, started by the
 * harness from its own class path; prints one line when done and exits non-zero on failure.
 *
 * <p>Usage: {@code TransactionalFill <bootstrap> <topic> <committed records>}.
 */
public final class TransactionalFill {

    /** About 1 MiB per transaction: ProducerPerformance's 100 ms transactions held 2–8 MiB here. */
    static final int TRANSACTION_RECORDS = 1000;

    /** One aborted transaction after every ten committed ones: 10% more bytes in the log, all to skip. */
    static final int COMMITS_PER_ABORT = 10;

    private TransactionalFill() {
    }

    /** Fills the topic; see the class comment for the arguments. */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: TransactionalFill <bootstrap> <topic> <committed records>");
            System.exit(2);
        }
        long committed = Long.parseLong(args[2]);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(args[0]))) {
            int aborted = fill(producer, args[1], committed);
            System.out.println(committed + " records committed, " + aborted + " transactions of "
                    + TRANSACTION_RECORDS + " records aborted");
        }
    }

    private static Map<String, Object> config(String bootstrap) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-transactional-fill",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    /** Writes the transactions; returns how many were aborted. */
    private static int fill(KafkaProducer<byte[], byte[]> producer, String topic, long committed) {
        byte[] payload = new byte[Plan.RECORD_SIZE];
        new Random(42).nextBytes(payload);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, payload);
        producer.initTransactions();
        int commits = 0;
        int aborts = 0;
        for (long written = 0; written < committed; written += TRANSACTION_RECORDS) {
            send(producer, record, (int) Math.min(TRANSACTION_RECORDS, committed - written));
            producer.commitTransaction();
            if (++commits % COMMITS_PER_ABORT == 0) {
                send(producer, record, TRANSACTION_RECORDS);
                producer.abortTransaction();
                aborts++;
            }
        }
        return aborts;
    }

    /** Begins a transaction and sends {@code count} records in it (no key: spread over the partitions). */
    private static void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record, int count) {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(record);
        }
        producer.flush();
    }

    /** The command that runs this program from the harness's own class path. */
    static JavaCommand command(Toolbox toolbox, String bootstrap, TopicSpec topic, long committed) {
        List<String> arguments = new ArrayList<>(List.of(bootstrap, topic.name(), Long.toString(committed)));
        return toolbox.harnessTool(TransactionalFill.class.getName(), arguments);
    }
}
