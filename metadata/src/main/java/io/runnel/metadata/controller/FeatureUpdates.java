package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;

/**
 * Changes of finalized feature levels (Kafka's UpdateFeatures, {@code kafka-features.sh upgrade|downgrade}),
 * checked as Kafka's controller checks them: the feature must be one this cluster supports, the level in
 * its supported range, and a lower level needs a safe or unsafe downgrade, never the reverse. One bad
 * update fails them all. Stateless.
 */
final class FeatureUpdates {

    /** A supported range of levels, both ends included. */
    record Range(short min, short max) {
    }

    /** What this cluster's nodes support; a feature absent here is unknown to them. */
    static final Map<String, Range> SUPPORTED = Map.of(ClusterController.TRANSACTION_VERSION, new Range(ClusterController.MIN_TRANSACTION_VERSION, ClusterController.MAX_TRANSACTION_VERSION));

    private FeatureUpdates() {
    }

    /**
     * The records of {@code command}, none if it only validates.
     *
     * @throws InvalidUpdateVersionException with Kafka's message, naming the first bad update
     */
    static ControllerResult apply(MetadataImage image, ControllerCommand.UpdateFeatures command) {
        List<MetadataRecord> records = new ArrayList<>();
        for (ControllerCommand.FeatureUpdate update : command.updates()) {
            String problem = problem(image, update);
            if (problem != null) {
                throw new InvalidUpdateVersionException("The update failed for all features since the following feature had an error: "
                        + "Invalid update version " + update.level() + " for feature " + update.feature() + ". " + problem);
            }
            records.add(new MetadataRecord.FeatureLevelRecord(update.feature(), update.level()));
        }
        return new ControllerResult(command.validateOnly() ? List.of() : records, null);
    }

    private static String problem(MetadataImage image, ControllerCommand.FeatureUpdate update) {
        Range range = SUPPORTED.get(update.feature());
        if (range == null) {
            return "The controller does not support this feature.";
        }
        if (update.level() < range.min() || update.level() > range.max()) {
            return "The controller only supports versions " + range.min() + "-" + range.max();
        }
        short current = image.features().getOrDefault(update.feature(), (short) 0);
        boolean downgrade = update.upgradeType() == ControllerCommand.FeatureUpdate.SAFE_DOWNGRADE
                || update.upgradeType() == ControllerCommand.FeatureUpdate.UNSAFE_DOWNGRADE;
        if (update.level() < current && !downgrade) {
            return "Can't downgrade the version of this feature without setting the upgrade type to either safe or unsafe downgrade.";
        }
        if (update.level() > current && downgrade) {
            return "Can't downgrade to a newer version.";
        }
        return null;
    }
}
