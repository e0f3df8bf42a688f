/**
 * The client quota APIs: AlterClientQuotas and DescribeClientQuotas, over the quotas kept in the
 * metadata log.
 */
package io.runnel.broker.handler.quota;
