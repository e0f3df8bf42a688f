package io.runnel.metadata.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumStatus.VoterStatus;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumMessagesTest {

    @Test
    void shouldCarryAQuorumStatusWithItsVotersAndObservers() throws Exception {
        QuorumStatus status = new QuorumStatus(2, 7, 120, List.of(new VoterStatus(1, 118, 1000, -1), new VoterStatus(2, 120, 1001, 1001)),
                List.of(new VoterStatus(4, 120, 999, 999)));

        assertThat(QuorumMessages.readStatusAnswer(QuorumMessages.statusAnswer(status))).isEqualTo(status);
        assertThat(QuorumMessages.status()).containsExactly(QuorumMessages.STATUS);
    }

    @Test
    void shouldCarryTheFetchingNodesId() throws Exception {
        assertThat(QuorumMessages.readFetch(QuorumMessages.fetch(42, 500, 4))).isEqualTo(new QuorumMessages.Fetch(42, 500, 4));
    }

    @Test
    void shouldReadAFetchWithoutANodeIdAsFromAnUnknownNode() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(QuorumMessages.FETCH);
            out.writeLong(42);
            out.writeInt(500);
        }

        assertThat(QuorumMessages.readFetch(bytes.toByteArray())).isEqualTo(new QuorumMessages.Fetch(42, 500, -1));
    }
}
