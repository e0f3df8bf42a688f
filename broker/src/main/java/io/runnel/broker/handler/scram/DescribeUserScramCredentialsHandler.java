package io.runnel.broker.handler.scram;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataRecord;
import io.runnel.protocol.KafkaRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeUserScramCredentials, as Kafka's ScramImage answers it: the mechanisms and iterations of each
 * user asked for (every user with a credential when none is named), never salts or keys; an unknown user
 * RESOURCE_NOT_FOUND, a user named twice DUPLICATE_RESOURCE, with Kafka's messages. Stateless.
 */
public final class DescribeUserScramCredentialsHandler implements ApiHandler {

    private final ClusterMetadata controller;

    /** A handler describing the credentials of {@code controller}'s image. */
    public DescribeUserScramCredentialsHandler(ClusterMetadata controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeUserScramCredentialsRequestData data = (DescribeUserScramCredentialsRequestData) request.body();
        Map<String, Map<Byte, MetadataRecord.UserScramCredentialRecord>> credentials = controller.image().scramCredentials();
        // user -> named more than once
        Map<String, Boolean> users = new LinkedHashMap<>();
        if (data.users() == null || data.users().isEmpty()) {
            credentials.keySet().forEach(user -> users.put(user, false));
        } else {
            data.users().forEach(user -> users.merge(user.name(), false, (first, again) -> true));
        }
        DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
        users.forEach((user, twice) -> response.results().add(describe(user, twice, credentials.get(user))));
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeUserScramCredentialsResult describe(String user, boolean twice, Map<Byte, MetadataRecord.UserScramCredentialRecord> mine) {
        DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(user);
        if (twice) {
            return result.setErrorCode(Errors.DUPLICATE_RESOURCE.code())
                    .setErrorMessage("Cannot describe SCRAM credentials for the same user twice in a single request: " + user);
        }
        if (mine == null || mine.isEmpty()) {
            return result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                    .setErrorMessage("Attempt to describe a user credential that does not exist: " + user);
        }
        new TreeMap<>(mine).forEach((mechanism, credential) ->
                result.credentialInfos().add(new CredentialInfo().setMechanism(mechanism).setIterations(credential.iterations())));
        return result;
    }
}
