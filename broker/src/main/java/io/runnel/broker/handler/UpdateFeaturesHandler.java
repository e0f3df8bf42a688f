package io.runnel.broker.handler;

import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.controller.ControllerCommand.FeatureUpdate;
import io.runnel.protocol.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData.UpdatableFeatureResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * UpdateFeatures ({@code kafka-features.sh upgrade|downgrade}), carried out by the active controller:
 * every update or none. A failure is the top-level error, and below v2 also every feature's result,
 * as Kafka answers. v0's {@code AllowDowngrade} is a safe downgrade.
 */
public final class UpdateFeaturesHandler implements ApiHandler {

    private final ClusterMetadata metadata;

    public UpdateFeaturesHandler(ClusterMetadata metadata) {
        this.metadata = metadata;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        UpdateFeaturesRequestData data = (UpdateFeaturesRequestData) request.body();
        List<FeatureUpdate> updates = new ArrayList<>();
        for (UpdateFeaturesRequestData.FeatureUpdateKey update : data.featureUpdates()) {
            byte type = request.apiVersion() == 0 ? (update.allowDowngrade() ? FeatureUpdate.SAFE_DOWNGRADE : FeatureUpdate.UPGRADE) : update.upgradeType();
            updates.add(new FeatureUpdate(update.feature(), update.maxVersionLevel(), type));
        }
        Errors error = Errors.NONE;
        String message = null;
        try {
            metadata.updateFeatures(updates, data.validateOnly());
        } catch (ApiException e) {
            error = Errors.forException(e);
            message = e.getMessage();
        }
        return CompletableFuture.completedFuture(response(data, request.apiVersion(), error, message));
    }

    private static UpdateFeaturesResponseData response(UpdateFeaturesRequestData data, short version, Errors error, String message) {
        UpdateFeaturesResponseData response = new UpdateFeaturesResponseData().setErrorCode(error.code()).setErrorMessage(message);
        if (version < 2) {
            for (UpdateFeaturesRequestData.FeatureUpdateKey update : data.featureUpdates()) {
                response.results().add(new UpdatableFeatureResult().setFeature(update.feature()).setErrorCode(error.code()).setErrorMessage(message));
            }
        }
        return response;
    }
}
