package io.runnel.it.txn;

import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One instance of the word-count application of {@link StreamsEosIT}, run in a JVM of its own so that the
 * test can kill it with SIGKILL. Lines of words are split, re-keyed by word (through a repartition topic),
 * counted in a state store (with a changelog) and each new count is written to the output topic, all
 * with {@code exactly_once_v2}. Prints {@value #STATE_PREFIX} and each state it enters on standard output,
 * for the test to wait on. Runs until it is killed or terminated (SIGTERM closes it cleanly).
 *
 * <p>Arguments: bootstrap servers, application id, input topic, output topic, state directory.
 */
public final class WordCountInstance {

    /** Written before each state the instance enters, e.g. {@code STATE RUNNING}. */
    static final String STATE_PREFIX = "STATE ";

    private WordCountInstance() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology(args[2], args[3]), config(args[0], args[1], args[4]));
        CountDownLatch closed = new CountDownLatch(1);
        streams.setStateListener((newState, oldState) -> System.out.println(STATE_PREFIX + newState));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            closed.countDown();
        }, "word-count-shutdown"));
        streams.start();
        closed.await();
    }

    static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with("words", Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .mapValues(count -> Long.toString(count))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    static Properties config(String bootstrapServers, String applicationId, String stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        // The killed instance's open transaction is aborted by its coordinator after this long; until
        // then the survivor cannot fetch the stable offsets of the tasks it takes over.
        config.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 5000);
        // The killed instance leaves the group when its session expires: the broker's minimum.
        config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
        config.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
        return config;
    }
}
