package io.runnel.group.classic;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.protocol.types.SchemaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics a "consumer" classic group's members subscribe to, read from their JoinGroup metadata
 * as Kafka reads it for offset expiry: every version of the consumer protocol starts with the
 * version-0 layout, so parsing that prefix works for versions this code does not know.
 */
final class SubscribedTopics {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribedTopics.class);

    private SubscribedTopics() {
    }

    /**
     * The union of the members' subscriptions under {@code protocolName}, or null when unknown
     * (not the consumer protocol, no protocol chosen yet, or metadata that does not parse).
     */
    static Set<String> of(String groupId, String protocolType, String protocolName,
                          Collection<ClassicGroupMember> members) {
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType)) {
            return null;
        }
        if (members.isEmpty()) {
            return Set.of();
        }
        if (protocolName == null) {
            return null;
        }
        try {
            Set<String> topics = new HashSet<>();
            for (ClassicGroupMember member : members) {
                ByteBuffer buffer = ByteBuffer.wrap(member.metadata(protocolName));
                ConsumerProtocol.deserializeVersion(buffer);
                topics.addAll(ConsumerProtocol.deserializeConsumerProtocolSubscription(buffer, (short) 0).topics());
            }
            return Set.copyOf(topics);
        } catch (SchemaException | BufferUnderflowException e) {
            LOG.warn("Cannot parse the consumer protocol metadata of group {}; treating it as subscribed to every topic",
                    groupId, e);
            return null;
        }
    }
}
