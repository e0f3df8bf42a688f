package io.runnel.broker.handler.acl;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.CLUSTER_ACTION;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.protocol.KafkaRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The authorization checks that refuse a whole request, one line per API, as Kafka's KafkaApis makes
 * them before it acts: the group APIs need the group (GROUP_AUTHORIZATION_FAILED), the transaction
 * APIs the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), the cluster APIs the cluster
 * (CLUSTER_AUTHORIZATION_FAILED). A refusal is thrown, so the router answers Kafka's error response for
 * the request. Checks of single topics, or of one key of a batch (FindCoordinator v4+, OffsetFetch v8+),
 * live in the handlers. Stateless once built.
 */
public final class RequestChecks {

    /**
     * The versions from which FindCoordinator and OffsetFetch carry several keys or groups: their
     * handlers then answer a refused one in its own entry, as Kafka does, so only older versions are
     * refused whole here.
     */
    private static final short FIRST_BATCHED_FIND_COORDINATOR = 4;
    private static final short FIRST_BATCHED_OFFSET_FETCH = 8;

    private RequestChecks() {
    }

    /** {@code handlers}, each API with a whole-request check behind it; unchanged without an authorizer. */
    public static Map<ApiKeys, ApiHandler> guard(Map<ApiKeys, ApiHandler> handlers, RequestAuthorizer authorizer) {
        if (!authorizer.enabled()) {
            return handlers;
        }
        Map<ApiKeys, Check> checks = checks(authorizer);
        Map<ApiKeys, ApiHandler> guarded = new EnumMap<>(handlers);
        guarded.replaceAll((key, handler) -> checks.containsKey(key) ? checks.get(key).before(handler) : handler);
        return guarded;
    }

    // a table, one line per API: long by design
    private static Map<ApiKeys, Check> checks(RequestAuthorizer a) {
        Map<ApiKeys, Check> checks = new EnumMap<>(ApiKeys.class);
        checks.put(ApiKeys.JOIN_GROUP, group(a, READ, r -> ((JoinGroupRequestData) r.body()).groupId()));
        checks.put(ApiKeys.SYNC_GROUP, group(a, READ, r -> ((SyncGroupRequestData) r.body()).groupId()));
        checks.put(ApiKeys.HEARTBEAT, group(a, READ, r -> ((HeartbeatRequestData) r.body()).groupId()));
        checks.put(ApiKeys.LEAVE_GROUP, group(a, READ, r -> ((LeaveGroupRequestData) r.body()).groupId()));
        checks.put(ApiKeys.OFFSET_COMMIT, group(a, READ, r -> ((OffsetCommitRequestData) r.body()).groupId()));
        checks.put(ApiKeys.OFFSET_FETCH, new Check(r -> r.apiVersion() >= FIRST_BATCHED_OFFSET_FETCH
                || a.authorize(r, DESCRIBE, ResourceType.GROUP, ((OffsetFetchRequestData) r.body()).groupId()), r -> new GroupAuthorizationException(refused(r))));
        checks.put(ApiKeys.OFFSET_DELETE, group(a, DELETE, r -> ((OffsetDeleteRequestData) r.body()).groupId()));
        checks.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, group(a, READ, r -> ((ConsumerGroupHeartbeatRequestData) r.body()).groupId()));
        checks.put(ApiKeys.FIND_COORDINATOR, new Check(r -> r.apiVersion() >= FIRST_BATCHED_FIND_COORDINATOR || mayFindCoordinator(a, r), r -> findsTransactions(r)
                ? new TransactionalIdAuthorizationException(refused(r)) : new GroupAuthorizationException(refused(r))));
        checks.put(ApiKeys.INIT_PRODUCER_ID, new Check(r -> mayInitProducerId(a, r), r -> ((InitProducerIdRequestData) r.body()).transactionalId() != null
                ? new TransactionalIdAuthorizationException(refused(r)) : new ClusterAuthorizationException(refused(r))));
        checks.put(ApiKeys.ADD_PARTITIONS_TO_TXN, new Check(r -> r.apiVersion() >= 4 ? a.authorizeCluster(r, CLUSTER_ACTION)
                : transactionalId(a, r, ((AddPartitionsToTxnRequestData) r.body()).v3AndBelowTransactionalId()),
                r -> r.apiVersion() >= 4 ? new ClusterAuthorizationException(refused(r)) : new TransactionalIdAuthorizationException(refused(r))));
        checks.put(ApiKeys.ADD_OFFSETS_TO_TXN, transaction(a, r -> ((AddOffsetsToTxnRequestData) r.body()).transactionalId())
                .then(group(a, READ, r -> ((AddOffsetsToTxnRequestData) r.body()).groupId())));
        checks.put(ApiKeys.END_TXN, transaction(a, r -> ((EndTxnRequestData) r.body()).transactionalId()));
        checks.put(ApiKeys.TXN_OFFSET_COMMIT, transaction(a, r -> ((TxnOffsetCommitRequestData) r.body()).transactionalId())
                .then(group(a, READ, r -> ((TxnOffsetCommitRequestData) r.body()).groupId())));
        checks.put(ApiKeys.WRITE_TXN_MARKERS, cluster(a, CLUSTER_ACTION));
        checks.put(ApiKeys.ELECT_LEADERS, cluster(a, ALTER));
        checks.put(ApiKeys.UPDATE_FEATURES, cluster(a, ALTER));
        checks.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, cluster(a, ALTER));
        checks.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, cluster(a, DESCRIBE));
        checks.put(ApiKeys.DESCRIBE_LOG_DIRS, cluster(a, DESCRIBE));
        checks.put(ApiKeys.DESCRIBE_QUORUM, cluster(a, DESCRIBE));
        checks.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, cluster(a, DESCRIBE));
        checks.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, cluster(a, ALTER));
        checks.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, cluster(a, AclOperation.DESCRIBE_CONFIGS));
        checks.put(ApiKeys.ALTER_CLIENT_QUOTAS, cluster(a, AclOperation.ALTER_CONFIGS));
        return checks;
    }

    private static Check group(RequestAuthorizer authorizer, AclOperation operation, Function<KafkaRequest, String> groupId) {
        return new Check(r -> authorizer.authorize(r, operation, ResourceType.GROUP, groupId.apply(r)),
                r -> new GroupAuthorizationException(refused(r)));
    }

    private static Check transaction(RequestAuthorizer authorizer, Function<KafkaRequest, String> transactionalId) {
        return new Check(r -> transactionalId(authorizer, r, transactionalId.apply(r)), r -> new TransactionalIdAuthorizationException(refused(r)));
    }

    private static Check cluster(RequestAuthorizer authorizer, AclOperation operation) {
        return new Check(r -> authorizer.authorizeCluster(r, operation), r -> new ClusterAuthorizationException(refused(r)));
    }

    private static boolean transactionalId(RequestAuthorizer authorizer, KafkaRequest request, String transactionalId) {
        return authorizer.authorize(request, WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId);
    }

    /** WRITE on the transactional id, or for an idempotent producer IDEMPOTENT_WRITE on the cluster or WRITE on some topic, as Kafka checks. */
    private static boolean mayInitProducerId(RequestAuthorizer authorizer, KafkaRequest request) {
        String transactionalId = ((InitProducerIdRequestData) request.body()).transactionalId();
        return transactionalId != null ? transactionalId(authorizer, request, transactionalId)
                : authorizer.authorizeCluster(request, AclOperation.IDEMPOTENT_WRITE) || authorizer.authorizeAny(request, WRITE, ResourceType.TOPIC);
    }

    private static boolean findsTransactions(KafkaRequest request) {
        return CoordinatorType.forId(((FindCoordinatorRequestData) request.body()).keyType()) == CoordinatorType.TRANSACTION;
    }

    private static String refused(KafkaRequest request) {
        return "Request " + request.apiKey() + " is not authorized.";
    }

    /** FindCoordinator v0-3: DESCRIBE on the group, or on the transactional id. */
    private static boolean mayFindCoordinator(RequestAuthorizer authorizer, KafkaRequest request) {
        ResourceType type = findsTransactions(request) ? ResourceType.TRANSACTIONAL_ID : ResourceType.GROUP;
        return authorizer.authorize(request, DESCRIBE, type, ((FindCoordinatorRequestData) request.body()).key());
    }

    /** A check and the refusal it throws. */
    private record Check(Predicate<KafkaRequest> allowed, Function<KafkaRequest, ApiException> refusal) {

        /** This check, then {@code next}: the first that fails refuses the request. */
        Check then(Check next) {
            return new Check(r -> allowed.test(r) && next.allowed.test(r), r -> allowed.test(r) ? next.refusal.apply(r) : refusal.apply(r));
        }

        ApiHandler before(ApiHandler handler) {
            return request -> {
                if (!allowed.test(request)) {
                    throw refusal.apply(request);
                }
                return handler.handle(request);
            };
        }
    }
}
