package io.runnel.broker.handler.group;

import io.runnel.group.GroupRequestContext;
import io.runnel.protocol.KafkaRequest;

/** What the coordinator needs to know about a request's sender. */
final class GroupRequests {

    private GroupRequests() {
    }

    static GroupRequestContext context(KafkaRequest request) {
        return new GroupRequestContext(request.clientId(), request.clientHost(), request.apiVersion());
    }
}
