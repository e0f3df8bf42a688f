package io.runnel.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterDescribeCommandTest {

    @Test
    void shouldShowAReplicasLagAsHowFarItsLogEndIsBehindTheHighWatermark() {
        assertThat(ClusterDescribeCommand.lag(42, 40)).isEqualTo(2);
        assertThat(ClusterDescribeCommand.lag(42, 42)).isZero();
    }

    @Test
    void shouldShowNoLagOrOffsetForAReplicaWhoseLogEndIsUnknown() {
        assertThat(ClusterDescribeCommand.lag(42, -1)).isNull();
        assertThat(ClusterDescribeCommand.offset(-1)).isNull();
        assertThat(ClusterDescribeCommand.offset(7)).isEqualTo(7);
    }

    @Test
    void shouldNotShowANegativeLagForAReplicaAheadOfTheHighWatermarkItWasToldOf() {
        assertThat(ClusterDescribeCommand.lag(40, 42)).isZero();
    }
}
