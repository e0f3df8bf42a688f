/**
 * One handler per Kafka API, and the {@link io.runnel.broker.handler.ApiRouter} table that sends each
 * request to its handler on the request-handler pool. Handlers turn per-partition failures into Kafka
 * error codes themselves; anything that escapes becomes Kafka's error response for the whole request.
 */
package io.runnel.broker.handler;
