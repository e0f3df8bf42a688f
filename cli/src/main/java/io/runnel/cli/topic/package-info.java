/** {@code runnel topic}: topics through the Admin API (CreateTopics, Metadata, DescribeConfigs, IncrementalAlterConfigs, CreatePartitions, DeleteTopics, ListOffsets). */
package io.runnel.cli.topic;
