package io.runnel.broker.metrics;

/**
 * Where the produce and fetch handlers report the record bytes they move, per topic. Called on the
 * hot paths, once per partition of a request: implementations must be thread-safe and must not
 * allocate.
 */
public interface TopicTraffic {

    /** Counts nothing. */
    TopicTraffic NONE = new TopicTraffic() {
        @Override
        public void appended(String topic, int bytes, long records) {
        }

        @Override
        public void fetched(String topic, int bytes) {
        }
    };

    /** A producer's batches were appended to a partition of {@code topic}: their size and record count. */
    void appended(String topic, int bytes, long records);

    /** A fetch response carries {@code bytes} of record batches of {@code topic}. */
    void fetched(String topic, int bytes);
}
