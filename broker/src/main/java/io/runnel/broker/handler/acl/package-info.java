/**
 * The ACL APIs: CreateAcls, DescribeAcls, DeleteAcls, over the ACLs of the metadata log, answered as
 * Kafka answers them (CLUSTER ALTER to change ACLs, CLUSTER DESCRIBE to list them, SECURITY_DISABLED
 * when no authorizer is configured, INVALID_REQUEST for an ACL that names no concrete resource type,
 * pattern type, operation or permission).
 */
package io.runnel.broker.handler.acl;
