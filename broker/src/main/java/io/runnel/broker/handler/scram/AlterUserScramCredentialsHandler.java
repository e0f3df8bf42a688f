package io.runnel.broker.handler.scram;

import io.runnel.broker.handler.ApiHandler;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.protocol.KafkaRequest;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;

/**
 * AlterUserScramCredentials with the checks of Kafka's ScramControlManager: a user altered at most once
 * per request (DUPLICATE_RESOURCE), a name, a known mechanism (UNSUPPORTED_SASL_MECHANISM), 4096 to
 * 16384 iterations and only existing credentials deleted (UNACCEPTABLE_CREDENTIAL, RESOURCE_NOT_FOUND).
 * The client sends the salted password, never the password; the stored and server keys are derived from
 * it here with kafka-clients' ScramFormatter, and all changes of a request go to the metadata log in one
 * batch. Runs on the controller-bound pool (it waits for the controller). Stateless.
 */
public final class AlterUserScramCredentialsHandler implements ApiHandler {

    /** Kafka's upper bound (ScramControlManager.MAX_ITERATIONS); the lower one is the mechanism's own, 4096. */
    static final int MAX_ITERATIONS = 16384;
    private static final String TWICE = "A user credential cannot be altered twice in the same request";

    private final ClusterMetadata controller;

    /** A handler writing credential changes through {@code controller}. */
    public AlterUserScramCredentialsHandler(ClusterMetadata controller) {
        this.controller = controller;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        AlterUserScramCredentialsRequestData data = (AlterUserScramCredentialsRequestData) request.body();
        MetadataImage image = controller.image();
        Map<String, ApiError> errors = new LinkedHashMap<>();
        Map<String, MetadataRecord> changes = new LinkedHashMap<>();
        for (ScramCredentialDeletion deletion : data.deletions()) {
            decide(deletion.name(), errors, changes, () -> deletion(image, deletion));
        }
        for (ScramCredentialUpsertion upsertion : data.upsertions()) {
            decide(upsertion.name(), errors, changes, () -> upsertion(upsertion));
        }
        AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
        if (!changes.isEmpty()) {
            try {
                controller.alterScramCredentials(new ArrayList<>(changes.values()));
            } catch (ApiException e) {
                changes.keySet().forEach(user -> errors.put(user, ApiError.fromThrowable(e)));
                changes.clear();
            }
        }
        changes.keySet().forEach(user -> response.results().add(new AlterUserScramCredentialsResult().setUser(user)));
        errors.forEach((user, error) -> response.results().add(new AlterUserScramCredentialsResult().setUser(user)
                .setErrorCode(error.error().code()).setErrorMessage(error.message())));
        return CompletableFuture.completedFuture(response);
    }

    /** The change a credential alteration makes, or the error that refuses it. */
    private interface Decision {
        MetadataRecord change() throws CredentialRefused;
    }

    private static void decide(String user, Map<String, ApiError> errors, Map<String, MetadataRecord> changes, Decision decision) {
        if (errors.containsKey(user)) {
            return;
        }
        if (changes.remove(user) != null) {
            errors.put(user, new ApiError(Errors.DUPLICATE_RESOURCE, TWICE));
            return;
        }
        try {
            changes.put(user, decision.change());
        } catch (CredentialRefused refused) {
            errors.put(user, refused.error);
        }
    }

    private static MetadataRecord deletion(MetadataImage image, ScramCredentialDeletion deletion) throws CredentialRefused {
        checkNameAndMechanism(deletion.name(), deletion.mechanism());
        if (image.scramCredential(deletion.name(), deletion.mechanism()) == null) {
            throw new CredentialRefused(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
        }
        return new MetadataRecord.RemoveUserScramCredentialRecord(deletion.name(), deletion.mechanism());
    }

    private static MetadataRecord upsertion(ScramCredentialUpsertion upsertion) throws CredentialRefused {
        ScramMechanism mechanism = checkNameAndMechanism(upsertion.name(), upsertion.mechanism());
        org.apache.kafka.common.security.scram.internals.ScramMechanism internal =
                org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(mechanism.mechanismName());
        if (upsertion.iterations() < internal.minIterations()) {
            throw new CredentialRefused(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (upsertion.iterations() > MAX_ITERATIONS) {
            throw new CredentialRefused(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        try {
            ScramFormatter formatter = new ScramFormatter(internal);
            byte[] saltedPassword = upsertion.saltedPassword();
            return new MetadataRecord.UserScramCredentialRecord(upsertion.name(), upsertion.mechanism(), upsertion.salt(),
                    formatter.storedKey(formatter.clientKey(saltedPassword)), formatter.serverKey(saltedPassword), upsertion.iterations());
        } catch (GeneralSecurityException e) {
            throw new CredentialRefused(Errors.UNKNOWN_SERVER_ERROR, e.getMessage());
        }
    }

    private static ScramMechanism checkNameAndMechanism(String name, byte type) throws CredentialRefused {
        if (name.isEmpty()) {
            throw new CredentialRefused(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        ScramMechanism mechanism = ScramMechanism.fromType(type);
        if (mechanism == ScramMechanism.UNKNOWN) {
            throw new CredentialRefused(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        return mechanism;
    }

    /** A credential change refused with Kafka's error. */
    private static final class CredentialRefused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        CredentialRefused(Errors error, String message) {
            super(message, null, false, false);
            this.error = new ApiError(error, message);
        }
    }
}
