package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.controller.ClusterController;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * ApiVersions: the APIs and version ranges served. From v5 (KIP-1242) a client may name the cluster
 * and node it means to reach; if this broker is not that node it answers REBOOTSTRAP_REQUIRED, so a
 * client whose address now points elsewhere starts over. (Too-new versions are answered by the
 * network layer.)
 */
public final class ApiVersionsHandler implements ApiHandler {

    private static final Pattern SOFTWARE_LABEL = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    private final SupportedApis supportedApis;
    private final ClusterIdentity identity;
    private final Supplier<MetadataImage> image;
    private final boolean transactions;

    /**
     * A handler that advertises {@code supportedApis} on behalf of the broker {@code identity}; with
     * {@code transactions} served, also the {@code transaction.version} feature finalized in {@code image}.
     */
    public ApiVersionsHandler(SupportedApis supportedApis, ClusterIdentity identity, Supplier<MetadataImage> image, boolean transactions) {
        this.supportedApis = supportedApis;
        this.identity = identity;
        this.image = image;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setApiKeys(supportedApis.toApiVersions())
                .setFinalizedFeaturesEpoch(-1L);
        if (transactions) {
            addTransactionVersion(response, image.get(), request.apiVersion());
        }
        ApiVersionsRequestData data = (ApiVersionsRequestData) request.body();
        if (request.apiVersion() >= 3 && !(isValidSoftwareLabel(data.clientSoftwareName()) && isValidSoftwareLabel(data.clientSoftwareVersion()))) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        } else if (isMeantForAnotherBroker(data)) {
            response.setErrorCode(Errors.REBOOTSTRAP_REQUIRED.code());
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * The features the Java client reads to choose its transaction protocol (v3+, tagged fields): the
     * supported range, the finalized level, and as the features epoch the offset of the metadata image,
     * which only grows, as KRaft brokers report it.
     */
    private static void addTransactionVersion(ApiVersionsResponseData response, MetadataImage current, short apiVersion) {
        // Below v4 Kafka leaves out a supported range starting at 0: older clients fail to read it (KAFKA-17492).
        if (apiVersion >= 4 || ClusterController.MIN_TRANSACTION_VERSION > 0) {
            response.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey().setName(ClusterController.TRANSACTION_VERSION)
                    .setMinVersion(ClusterController.MIN_TRANSACTION_VERSION).setMaxVersion(ClusterController.MAX_TRANSACTION_VERSION));
        }
        Short level = current.features().get(ClusterController.TRANSACTION_VERSION);
        if (level != null) {
            // Level 0 is finalized as "off": Kafka leaves it out of the list, and the epoch still moves,
            // so a client that saw level 2 notices the downgrade.
            if (level > 0) {
                response.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey().setName(ClusterController.TRANSACTION_VERSION)
                        .setMinVersionLevel(level).setMaxVersionLevel(level));
            }
            response.setFinalizedFeaturesEpoch(current.offset());
        }
    }

    /** Kafka's rule for client software names and versions (KIP-511): alphanumerics, '-' and '.', not at the ends. */
    private static boolean isValidSoftwareLabel(String label) {
        return label != null && SOFTWARE_LABEL.matcher(label).matches();
    }

    private boolean isMeantForAnotherBroker(ApiVersionsRequestData data) {
        if (data.clusterId() == null) {
            return false;
        }
        return !data.clusterId().equals(identity.clusterId()) || (data.nodeId() >= 0 && data.nodeId() != identity.nodeId());
    }
}
