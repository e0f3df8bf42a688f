package io.runnel.bench.compare;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics the loads use, through the Kafka Admin client. Not thread-safe. */
final class Topics implements AutoCloseable {

    private final Admin admin;

    Topics(String bootstrap) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
    }

    /** Creates the topic (replication factor 1) unless it exists. */
    void create(TopicSpec topic) throws LoadFailedException, InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(topic.name(), topic.partitions(), (short) 1)))
                    .all().get(1, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new LoadFailedException("cannot create topic " + topic.name() + ": " + e.getCause());
            }
        } catch (TimeoutException e) {
            throw new LoadFailedException("creating topic " + topic.name() + " timed out");
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
