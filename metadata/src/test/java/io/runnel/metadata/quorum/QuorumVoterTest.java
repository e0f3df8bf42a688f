package io.runnel.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumVoterTest {

    @Test
    void shouldParseKafkaVotersForm() {
        assertThat(QuorumVoter.parseVoters("1@localhost:9093, 2@10.0.0.2:9094,3@[::1]:9095")).containsExactly(
                new QuorumVoter(1, "localhost", 9093), new QuorumVoter(2, "10.0.0.2", 9094), new QuorumVoter(3, "::1", 9095));
    }

    @Test
    void shouldNameTheBadEntry() {
        assertThatThrownBy(() -> QuorumVoter.parseVoters("1@a:1,two@b:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'two@b:2'");
        assertThatThrownBy(() -> QuorumVoter.parseVoters("1@a:1,2@b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'2@b'");
        assertThatThrownBy(() -> QuorumVoter.parseVoters("1@a:70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1@a:70000'");
    }

    @Test
    void shouldRejectRepeatedNodeIdsAndEmptyValue() {
        assertThatThrownBy(() -> QuorumVoter.parseVoters("1@a:1,1@b:2")).hasMessageContaining("node 1 twice");
        assertThatThrownBy(() -> QuorumVoter.parseVoters(" ")).hasMessageContaining("empty");
    }

    @Test
    void shouldFormatAddressForRatis() {
        assertThat(List.of(new QuorumVoter(1, "h", 1).address(), new QuorumVoter(2, "::1", 2).address()))
                .containsExactly("h:1", "[::1]:2");
    }
}
