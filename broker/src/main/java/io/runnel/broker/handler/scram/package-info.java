/**
 * The SCRAM credential APIs: AlterUserScramCredentials and DescribeUserScramCredentials, over the
 * credentials kept in the metadata log.
 */
package io.runnel.broker.handler.scram;
