package io.runnel.group.classic;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.coordinator.runtime.CoordinatorWriteException;
import java.io.IOException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class AppendErrorsTest {

    @Test
    void shouldAnswerCoordinatorNotAvailableForIoFailure() {
        CoordinatorWriteException failure = new CoordinatorWriteException("disk", new IOException("full"));

        assertThat(AppendErrors.toResponseError(failure)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void shouldMapAppendErrorsAsKafkaDoes() {
        assertThat(AppendErrors.toResponseError(new CoordinatorWriteException("x", new NotEnoughReplicasException("x"))))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(AppendErrors.toResponseError(new CoordinatorWriteException("x", new KafkaStorageException("x"))))
                .isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(AppendErrors.toResponseError(Errors.MESSAGE_TOO_LARGE)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(AppendErrors.toResponseError(new CoordinatorWriteException("x", new RecordTooLargeException("x"))))
                .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }
}
