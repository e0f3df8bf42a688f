/** {@code runnel group}: consumer groups through the Admin API (ListGroups, DescribeGroups, OffsetFetch, OffsetCommit, DeleteGroups). */
package io.runnel.cli.group;
