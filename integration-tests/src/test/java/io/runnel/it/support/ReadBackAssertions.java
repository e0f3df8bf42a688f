package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Assertions about records read back from a broker, against what producers were told. */
public final class ReadBackAssertions {

    private ReadBackAssertions() {
    }

    /** Every partition's records have offsets 0, 1, 2, ... in the order they were read. */
    public static void assertOffsetsContiguousFromZero(List<ConsumerRecord<String, String>> records) {
        Map<Integer, Long> nextOffset = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            long expected = nextOffset.getOrDefault(record.partition(), 0L);
            assertThat(record.offset()).as("next offset read from partition %d", record.partition()).isEqualTo(expected);
            nextOffset.put(record.partition(), expected + 1);
        }
    }

    /** Every acknowledged record was read back at the partition and offset its acknowledgement named. */
    public static void assertEveryAcknowledgedRecordAtItsOffset(List<ConsumerRecord<String, String>> records,
                                                                List<AcknowledgedRecord> acknowledged) {
        Map<String, String> valueAt = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            valueAt.put(position(record.partition(), record.offset()), record.value());
        }
        Set<String> acknowledgedPositions = new HashSet<>();
        List<String> notReadBack = new ArrayList<>();
        for (AcknowledgedRecord ack : acknowledged) {
            String position = position(ack.partition(), ack.offset());
            assertThat(acknowledgedPositions.add(position)).as("two records acknowledged at %s", position).isTrue();
            String read = valueAt.get(position);
            if (!ack.value().equals(read)) {
                notReadBack.add(ack + " but read " + read);
            }
        }
        assertThat(notReadBack).as("acknowledged records not read back at their offset (of %d acknowledged)", acknowledged.size())
                .isEmpty();
    }

    private static String position(int partition, long offset) {
        return partition + "@" + offset;
    }
}
