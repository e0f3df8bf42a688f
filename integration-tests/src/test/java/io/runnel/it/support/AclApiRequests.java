package io.runnel.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One request per ACL API for {@code EveryServedVersionIT} (whose broker runs the standard authorizer
 * with the anonymous client as super user): each version creates, finds or deletes an ACL on a topic
 * named after the version, so the rows do not see each other's ACLs. Stateless.
 */
public final class AclApiRequests {

    /** Sends {@code key} at {@code version} and checks the answer; false if {@code key} is not an ACL API. */
    public boolean exercise(RawKafkaConnection connection, ApiKeys key, short version) {
        String topic = "acl-" + key.name + "-v" + version;
        switch (key) {
            case CREATE_ACLS -> create(connection, version, topic);
            case DESCRIBE_ACLS -> {
                create(connection, (short) 3, topic);
                DescribeAclsResponseData response = connection.call(key, version, new DescribeAclsRequestData()
                        .setResourceTypeFilter(ResourceType.TOPIC.code()).setResourceNameFilter(topic).setPatternTypeFilter(PatternType.ANY.code())
                        .setPrincipalFilter(null).setHostFilter(null).setOperation(AclOperation.ANY.code()).setPermissionType(AclPermissionType.ANY.code()));
                assertThat(response.errorCode()).isZero();
                assertThat(response.resources()).singleElement().satisfies(resource -> assertThat(resource.acls()).hasSize(1));
            }
            case DELETE_ACLS -> {
                create(connection, (short) 3, topic);
                DeleteAclsResponseData response = connection.call(key, version, new DeleteAclsRequestData().setFilters(List.of(
                        new DeleteAclsRequestData.DeleteAclsFilter().setResourceTypeFilter(ResourceType.TOPIC.code()).setResourceNameFilter(topic)
                                .setPatternTypeFilter(PatternType.ANY.code()).setPrincipalFilter(null).setHostFilter(null).setOperation(AclOperation.ANY.code())
                                .setPermissionType(AclPermissionType.ANY.code()))));
                assertThat(response.filterResults()).singleElement().satisfies(result -> {
                    assertThat(result.errorCode()).isZero();
                    assertThat(result.matchingAcls()).singleElement().satisfies(acl -> assertThat(acl.resourceName()).isEqualTo(topic));
                });
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void create(RawKafkaConnection connection, short version, String topic) {
        CreateAclsResponseData response = connection.call(ApiKeys.CREATE_ACLS, version, new CreateAclsRequestData().setCreations(List.of(
                new CreateAclsRequestData.AclCreation().setResourceType(ResourceType.TOPIC.code()).setResourceName(topic)
                        .setResourcePatternType(PatternType.LITERAL.code()).setPrincipal("User:alice").setHost("*")
                        .setOperation(AclOperation.READ.code()).setPermissionType(AclPermissionType.ALLOW.code()))));
        assertThat(response.results()).singleElement().satisfies(result -> assertThat(result.errorCode()).isZero());
    }
}
