/**
 * {@code runnel transaction}: transactions as their coordinators hold them, through the Admin API
 * (ListTransactions to every broker, DescribeTransactions to each id's coordinator).
 */
package io.runnel.cli.transaction;
