package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.SupportedApis;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

/** ApiVersions: the APIs and version ranges served. (Too-new versions are answered by the network layer.) */
public final class ApiVersionsHandler implements ApiHandler {

    private final SupportedApis supportedApis;

    /** A handler that advertises {@code supportedApis}. */
    public ApiVersionsHandler(SupportedApis supportedApis) {
        this.supportedApis = supportedApis;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new ApiVersionsResponseData()
                .setApiKeys(supportedApis.toApiVersions())
                .setFinalizedFeaturesEpoch(-1L));
    }
}
