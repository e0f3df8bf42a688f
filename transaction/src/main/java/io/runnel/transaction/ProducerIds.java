package io.runnel.transaction;

/**
 * Where new producer ids come from: the broker's producer id manager, which hands out ids from blocks
 * the controller allocates. Called on the coordinator thread, so it must not block.
 */
public interface ProducerIds {

    /**
     * The next unused producer id.
     *
     * @throws org.apache.kafka.common.errors.ApiException when no id is available right now (Kafka answers
     *         COORDINATOR_LOAD_IN_PROGRESS while the next block is being fetched); the coordinator
     *         answers with the exception's error
     */
    long nextProducerId();
}
