package io.runnel.cli.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicSelectionTest {

    @Test
    void shouldSelectEveryPartitionOfATopicNamedAlone() {
        assertThat(TopicSelection.parse("orders")).isEqualTo(new TopicSelection("orders", List.of()));
    }

    @Test
    void shouldSelectThePartitionsListedAfterAColon() {
        assertThat(TopicSelection.parse("orders:0, 2")).isEqualTo(new TopicSelection("orders", List.of(0, 2)));
    }

    @Test
    void shouldRefuseAPartitionThatIsNotANumber() {
        assertThatThrownBy(() -> TopicSelection.parse("orders:x"))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("'x'");
    }
}
