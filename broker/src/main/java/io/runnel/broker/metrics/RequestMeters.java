package io.runnel.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runnel.broker.network.RequestListener;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.ResponseErrors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-API request meters: a latency histogram (whose count is the request count) and a counter per
 * error code the responses carry, as Kafka's {@code RequestMetrics} {@code TotalTimeMs} and
 * {@code ErrorsPerSec}. A meter is created the first time its API (or error) is seen and kept in an
 * array indexed by API key (and error), so the request path does no map lookup and allocates
 * nothing. Thread-safe.
 */
final class RequestMeters implements RequestListener {

    static final String LATENCY = "runnel.request.duration";
    static final String ERRORS = "runnel.request.errors";

    private static final Logger log = LoggerFactory.getLogger(RequestMeters.class);
    /**
     * Histogram bucket bounds, 1-2.5-5 steps from 0.25 ms to 30 s: Prometheus' {@code histogram_quantile}
     * reads percentiles from them. Sixteen buckets per API rather than the ~90 of Micrometer's
     * percentile histogram keep a scrape small; JMX shows the percentiles Dropwizard computes.
     */
    private static final Duration[] LATENCY_BUCKETS = latencyBuckets(0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
            10000, 30000);

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> latencies;
    /** Per API key, the counters by error ordinal; made at the API's first error (touching {@code Errors} loads ~250 classes). */
    private final AtomicReferenceArray<AtomicReferenceArray<Counter>> errors;
    /** Held in a field so that counting a response's errors allocates no lambda. */
    private final ResponseErrors.Sink errorSink = (apiKey, error, times) -> errorCounter(apiKey, error).increment(times);

    RequestMeters(MeterRegistry registry) {
        this.registry = registry;
        int apiSlots = maxApiKeyId() + 1;
        this.latencies = new AtomicReferenceArray<>(apiSlots);
        this.errors = new AtomicReferenceArray<>(apiSlots);
    }

    private static Duration[] latencyBuckets(double... millis) {
        Duration[] buckets = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            buckets[i] = Duration.ofNanos((long) (millis[i] * 1_000_000));
        }
        return buckets;
    }

    private static int maxApiKeyId() {
        int max = 0;
        for (ApiKeys key : ApiKeys.values()) {
            max = Math.max(max, key.id);
        }
        return max;
    }

    @Override
    public void onResponse(KafkaRequest request, ApiMessage response) {
        if (response == null) {
            return;
        }
        try {
            ResponseErrors.count(request.apiKey(), request.apiVersion(), response, errorSink);
        } catch (RuntimeException e) {
            // A metric must never cost a client its answer.
            log.debug("Cannot count the errors of a {} response: {}", request.apiKey(), e.toString());
        }
    }

    @Override
    public void onCompleted(ApiKeys apiKey, long elapsedNanos) {
        latency(apiKey).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    private Timer latency(ApiKeys apiKey) {
        Timer timer = latencies.get(apiKey.id);
        if (timer == null) {
            timer = Timer.builder(LATENCY)
                    .description("Time from reading a request to writing its response (or finishing it, when it has none)")
                    .tag("api", apiKey.name)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
            latencies.set(apiKey.id, timer);
        }
        return timer;
    }

    private Counter errorCounter(ApiKeys apiKey, Errors error) {
        AtomicReferenceArray<Counter> byError = errors.get(apiKey.id);
        if (byError == null) {
            errors.compareAndSet(apiKey.id, null, new AtomicReferenceArray<>(Errors.values().length));
            byError = errors.get(apiKey.id);
        }
        Counter counter = byError.get(error.ordinal());
        if (counter == null) {
            counter = Counter.builder(ERRORS)
                    .description("Error codes in responses, per API and error (partition-level errors count once per partition)")
                    .tag("api", apiKey.name)
                    .tag("error", error.name())
                    .register(registry);
            byError.set(error.ordinal(), counter);
        }
        return counter;
    }
}
