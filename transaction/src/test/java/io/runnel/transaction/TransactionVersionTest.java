package io.runnel.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The transaction.version levels: which value version is written and which protocol bumps epochs. */
class TransactionVersionTest {

    @Test
    void shouldWriteTheFlexibleValueFromVersionOne() {
        assertThat(TransactionVersion.TV_0.logValueVersion()).isZero();
        assertThat(TransactionVersion.TV_1.logValueVersion()).isEqualTo((short) 1);
        assertThat(TransactionVersion.TV_2.logValueVersion()).isEqualTo((short) 1);
    }

    @Test
    void shouldBumpTheEpochAtEveryTransactionOnlyFromVersionTwo() {
        assertThat(TransactionVersion.TV_1.supportsEpochBump()).isFalse();
        assertThat(TransactionVersion.TV_2.supportsEpochBump()).isTrue();
    }

    @Test
    void shouldReadFeatureLevels() {
        assertThat(TransactionVersion.fromFeatureLevel((short) 2)).isEqualTo(TransactionVersion.TV_2);
        assertThat(TransactionVersion.fromFeatureLevel((short) 3)).isEqualTo(TransactionVersion.TV_2);
        assertThat(TransactionVersion.TV_1.featureLevel()).isEqualTo((short) 1);
        assertThatThrownBy(() -> TransactionVersion.fromFeatureLevel((short) -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
