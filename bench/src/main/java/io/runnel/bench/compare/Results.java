package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every figure measured in a run, and every load that failed, by broker, round and scenario. Figures
 * of the broker process itself (start-to-ready, RSS) are filed under the scenario id {@link #BROKER}.
 * Not thread-safe: the run's one thread adds, the report reads at the end.
 */
final class Results {

    /** The scenario id of figures about the broker process rather than a load. */
    static final String BROKER = "broker";

    /** One measured figure. */
    record Sample(Broker broker, int round, String scenario, Metric metric, double value) {
    }

    /** One load (or broker start) that did not complete. */
    record Failure(Broker broker, int round, String scenario, String reason) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    void add(Broker broker, int round, String scenario, Metric metric, double value) {
        samples.add(new Sample(broker, round, scenario, metric, value));
    }

    void addAll(Broker broker, int round, String scenario, Map<Metric, Double> figures) {
        figures.forEach((metric, value) -> add(broker, round, scenario, metric, value));
    }

    void fail(Broker broker, int round, String scenario, String reason) {
        failures.add(new Failure(broker, round, scenario, reason));
    }

    /** The values of one figure for one broker, in round order. */
    List<Double> values(Broker broker, String scenario, Metric metric) {
        return samples.stream()
                .filter(s -> s.broker() == broker && s.scenario().equals(scenario) && s.metric() == metric)
                .map(Sample::value)
                .toList();
    }

    /** The value of one figure in one round, or NaN if there is none. */
    double value(Broker broker, int round, String scenario, Metric metric) {
        return samples.stream()
                .filter(s -> s.broker() == broker && s.round() == round && s.scenario().equals(scenario) && s.metric() == metric)
                .mapToDouble(Sample::value)
                .findFirst()
                .orElse(Double.NaN);
    }

    /** The failures of one scenario for one broker. */
    List<Failure> failures(Broker broker, String scenario) {
        return failures.stream().filter(f -> f.broker() == broker && f.scenario().equals(scenario)).toList();
    }

    List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    List<Failure> failures() {
        return Collections.unmodifiableList(failures);
    }
}
