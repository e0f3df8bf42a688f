/**
 * Authorization as Kafka's StandardAuthorizer decides it: the ACLs of the metadata image, indexed per
 * resource type for a lookup per check ({@link io.runnel.broker.acl.AclIndex}), the rules of deny over
 * allow, implied operations, {@code super.users} and {@code allow.everyone.if.no.acl.found}
 * ({@link io.runnel.broker.acl.StandardAuthorizer}), and the one call every handler makes
 * ({@link io.runnel.broker.acl.RequestAuthorizer}).
 */
package io.runnel.broker.acl;
