package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import java.util.concurrent.CompletableFuture;
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

    /** A handler that advertises {@code supportedApis} on behalf of the broker {@code identity}. */
    public ApiVersionsHandler(SupportedApis supportedApis, ClusterIdentity identity) {
        this.supportedApis = supportedApis;
        this.identity = identity;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setApiKeys(supportedApis.toApiVersions())
                .setFinalizedFeaturesEpoch(-1L);
        ApiVersionsRequestData data = (ApiVersionsRequestData) request.body();
        if (request.apiVersion() >= 3 && !(isValidSoftwareLabel(data.clientSoftwareName()) && isValidSoftwareLabel(data.clientSoftwareVersion()))) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        } else if (isMeantForAnotherBroker(data)) {
            response.setErrorCode(Errors.REBOOTSTRAP_REQUIRED.code());
        }
        return CompletableFuture.completedFuture(response);
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
