package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import java.util.List;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.junit.jupiter.api.Test;

class FeatureUpdatesTest {

    private static final String TV = ClusterController.TRANSACTION_VERSION;
    private final MetadataImage image = MetadataImage.EMPTY.apply(List.of(new MetadataRecord.FeatureLevelRecord(TV, (short) 2)), 1);

    @Test
    void shouldWriteAnUpgradeAndASafeOrUnsafeDowngrade() {
        assertThat(apply(false, update(TV, 2, ControllerCommand.FeatureUpdate.UPGRADE)).records())
                .containsExactly(new MetadataRecord.FeatureLevelRecord(TV, (short) 2));
        assertThat(apply(false, update(TV, 1, ControllerCommand.FeatureUpdate.SAFE_DOWNGRADE)).records())
                .containsExactly(new MetadataRecord.FeatureLevelRecord(TV, (short) 1));
        assertThat(apply(false, update(TV, 0, ControllerCommand.FeatureUpdate.UNSAFE_DOWNGRADE)).records())
                .containsExactly(new MetadataRecord.FeatureLevelRecord(TV, (short) 0));
    }

    @Test
    void shouldOnlyCheckWhenValidating() {
        assertThat(apply(true, update(TV, 1, ControllerCommand.FeatureUpdate.SAFE_DOWNGRADE)).records()).isEmpty();
    }

    @Test
    void shouldRefuseEveryUpdateWhenOneIsBadWithKafkasReasons() {
        assertRefused(update("foo.version", 1, ControllerCommand.FeatureUpdate.UPGRADE), "does not support this feature");
        assertRefused(update(TV, 3, ControllerCommand.FeatureUpdate.UPGRADE), "only supports versions 0-2");
        assertRefused(update(TV, 1, ControllerCommand.FeatureUpdate.UPGRADE), "without setting the upgrade type to either safe or unsafe downgrade");
        MetadataImage atOne = image.apply(List.of(new MetadataRecord.FeatureLevelRecord(TV, (short) 1)), 2);
        assertThatThrownBy(() -> FeatureUpdates.apply(atOne,
                new ControllerCommand.UpdateFeatures(List.of(update(TV, 2, ControllerCommand.FeatureUpdate.SAFE_DOWNGRADE)), false)))
                .hasMessageContaining("Can't downgrade to a newer version.");
        assertThatThrownBy(() -> apply(false, update(TV, 1, ControllerCommand.FeatureUpdate.SAFE_DOWNGRADE), update("foo.version", 1, ControllerCommand.FeatureUpdate.UPGRADE)))
                .isInstanceOf(InvalidUpdateVersionException.class)
                .hasMessageStartingWith("The update failed for all features since the following feature had an error: "
                        + "Invalid update version 1 for feature foo.version.");
    }

    private void assertRefused(ControllerCommand.FeatureUpdate update, String reason) {
        assertThatThrownBy(() -> apply(false, update)).isInstanceOf(InvalidUpdateVersionException.class).hasMessageContaining(reason);
    }

    private ControllerResult apply(boolean validateOnly, ControllerCommand.FeatureUpdate... updates) {
        return FeatureUpdates.apply(image, new ControllerCommand.UpdateFeatures(List.of(updates), validateOnly));
    }

    private static ControllerCommand.FeatureUpdate update(String feature, int level, byte type) {
        return new ControllerCommand.FeatureUpdate(feature, (short) level, type);
    }
}
