package io.runnel.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class ClientErrorsTest {

    @Test
    void shouldReportABrokerErrorWithItsMessageAndExitCodeOne() {
        ClientErrors.Failure failure = ClientErrors.describe(
                new ExecutionException(new TopicExistsException("Topic 'x' already exists.")), "b:1");

        assertThat(failure).isEqualTo(new ClientErrors.Failure("Topic 'x' already exists.", 1));
    }

    @Test
    void shouldReportWhatAClientFutureFailedWithAsOneLine() {
        ClientErrors.Failure failure = ClientErrors.describe(new ExecutionException(
                new IllegalArgumentException("GroupId connect-cluster is not a consumer group (connect).")), "b:1");

        assertThat(failure).isEqualTo(new ClientErrors.Failure("GroupId connect-cluster is not a consumer group (connect).", 1));
    }

    @Test
    void shouldNameTheBrokerThatDidNotAnswer() {
        ClientErrors.Failure failure = ClientErrors.describe(new TimeoutException("Timed out waiting for a node assignment."), "b:1");

        assertThat(failure.line()).startsWith("no answer from b:1 in time (Timed out waiting for a node assignment.)");
        assertThat(failure.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldCallABadClientConfigAUsageError() {
        ClientErrors.Failure failure = ClientErrors.describe(
                new KafkaException("Failed to create new KafkaAdminClient", new ConfigException("No resolvable bootstrap urls")), "b:1");

        assertThat(failure).isEqualTo(new ClientErrors.Failure("No resolvable bootstrap urls", 2));
    }

    @Test
    void shouldSayWhenTheBrokerDoesNotServeARequest() {
        ClientErrors.Failure failure = ClientErrors.describe(new UnsupportedVersionException("The node does not support CREATE_PARTITIONS"), "b:1");

        assertThat(failure.line()).isEqualTo("the broker does not support this request: The node does not support CREATE_PARTITIONS");
    }

    @Test
    void shouldRethrowWhatIsABug() {
        NullPointerException bug = new NullPointerException("bug");

        assertThatThrownBy(() -> ClientErrors.describe(bug, "b:1")).isSameAs(bug);
    }
}
