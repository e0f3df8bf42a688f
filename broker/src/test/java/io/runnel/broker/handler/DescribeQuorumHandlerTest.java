package io.runnel.broker.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumStatus.VoterStatus;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class DescribeQuorumHandlerTest {

    private static final List<VoterStatus> VOTERS = List.of(new VoterStatus(1, 10, 5, 5), new VoterStatus(2, 9, 5, -1),
            new VoterStatus(3, 10, 5, 5));

    @Test
    void shouldListTheObserversTheLeaderKnowsThenTheOtherRegisteredBrokersWithAnUnknownLogEnd() {
        QuorumStatus status = new QuorumStatus(1, 4, 10, VOTERS, List.of(new VoterStatus(5, 10, 7, 7)));
        MetadataImage image = imageWithBrokers(1, 2, 3, 4, 5, 6);

        assertThat(DescribeQuorumHandler.observers(status, image)).containsExactly(new VoterStatus(5, 10, 7, 7),
                new VoterStatus(4, -1, -1, -1), new VoterStatus(6, -1, -1, -1));
    }

    @Test
    void shouldNotListAVoterAsAnObserver() {
        QuorumStatus status = new QuorumStatus(1, 4, 10, VOTERS, List.of(new VoterStatus(2, 9, 7, -1)));

        assertThat(DescribeQuorumHandler.observers(status, imageWithBrokers(1, 2, 3))).isEmpty();
    }

    private static MetadataImage imageWithBrokers(int... ids) {
        List<MetadataRecord> records = java.util.Arrays.stream(ids).<MetadataRecord>mapToObj(id -> new MetadataRecord.RegisterBrokerRecord(
                new BrokerRegistration(id, 1, Uuid.randomUuid(), Uuid.randomUuid(), List.of(new BrokerEndpoint("PLAINTEXT", "localhost", 9090 + id)),
                        null, false, false))).toList();
        return MetadataImage.EMPTY.apply(records, 1);
    }
}
