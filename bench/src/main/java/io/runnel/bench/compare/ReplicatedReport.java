package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of a replicated comparison and how they are shown: a markdown table of medians over
 * rounds with the ratio Runnel/Kafka and issue 11's targets, the same as JSON, and CSV rows. The
 * ratio is taken round by round (Runnel's figure over Kafka's of the same round, on a machine in the
 * same state) and its median shown. Not thread-safe: filled, then read.
 */
final class ReplicatedReport {

    /** One figure of one system in one round. */
    record Sample(Broker broker, int round, ReplicatedMetric metric, double value) {
    }

    /** One partition that lost its leader. */
    record Failover(Broker broker, int round, ReplicatedRound.FailoverSample sample) {
    }

    /** Something that went wrong or looked odd in a system's turn. */
    record Note(Broker broker, int round, String text) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final List<Failover> failovers = new ArrayList<>();
    private final List<Note> notes = new ArrayList<>();

    void add(Broker broker, int round, ReplicatedMetric metric, double value) {
        samples.add(new Sample(broker, round, metric, value));
    }

    void addFailover(Broker broker, int round, ReplicatedRound.FailoverSample sample) {
        failovers.add(new Failover(broker, round, sample));
    }

    void note(Broker broker, int round, String text) {
        notes.add(new Note(broker, round, text));
    }

    List<Sample> samples() {
        return samples;
    }

    List<Failover> failovers() {
        return failovers;
    }

    List<Note> notes() {
        return notes;
    }

    Optional<Spread> spread(Broker broker, ReplicatedMetric metric) {
        return Spread.of(values(broker, metric));
    }

    private List<Double> values(Broker broker, ReplicatedMetric metric) {
        return samples.stream().filter(s -> s.broker() == broker && s.metric() == metric).map(Sample::value).toList();
    }

    /** Runnel's figure over Kafka's, round by round, for the rounds that have both. */
    List<Double> ratios(ReplicatedMetric metric) {
        Map<Integer, Double> runnel = new LinkedHashMap<>();
        Map<Integer, Double> kafka = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.metric() == metric && !Double.isNaN(s.value())) {
                (s.broker() == Broker.RUNNEL ? runnel : kafka).put(s.round(), s.value());
            }
        }
        List<Double> ratios = new ArrayList<>();
        runnel.forEach((round, value) -> {
            Double other = kafka.get(round);
            if (other != null && other > 0) {
                ratios.add(value / other);
            }
        });
        return ratios;
    }

    Optional<Spread> ratio(ReplicatedMetric metric) {
        return Spread.of(ratios(metric));
    }

    /** The markdown table: figure, Runnel, Kafka, Runnel/Kafka, target. */
    String table(int rounds) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Median [min–max] over %d round(s); Runnel/Kafka is the median of the rounds' ratios.%n%n", rounds));
        table.append("| figure | unit | Runnel | Kafka | Runnel/Kafka | target (issue 11) |\n|---|---|---|---|---|---|\n");
        for (ReplicatedMetric metric : ReplicatedMetric.values()) {
            Optional<Spread> runnel = spread(Broker.RUNNEL, metric);
            Optional<Spread> kafka = spread(Broker.KAFKA, metric);
            if (runnel.isEmpty() && kafka.isEmpty()) {
                continue;
            }
            Optional<Spread> ratio = ratio(metric);
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", metric.title(), metric.unit(),
                    runnel.map(Spread::text).orElse("–"), kafka.map(Spread::text).orElse("–"),
                    ratio.map(r -> r.text() + "×").orElse("–"), target(metric, ratio)));
        }
        return table.toString();
    }

    private static String target(ReplicatedMetric metric, Optional<Spread> ratio) {
        if (metric.target().isEmpty()) {
            return "";
        }
        return metric.targetText() + ratio.map(r -> metric.meets(r.median()) ? ": met" : ": not met").orElse("");
    }

    /** The notes, and a line per partition that was not acknowledged again, as markdown; empty if none. */
    String notesText() {
        StringBuilder text = new StringBuilder();
        for (Note n : notes) {
            text.append(String.format(Locale.ROOT, "- %s round %d: %s%n", n.broker().title(), n.round(), n.text()));
        }
        return text.toString();
    }

    /** Everything as one JSON document, with {@code run} (what was measured, how) first. */
    String json(Map<String, Object> run) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", run);
        List<Object> figures = new ArrayList<>();
        for (ReplicatedMetric metric : ReplicatedMetric.values()) {
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("id", metric.id());
            figure.put("title", metric.title());
            figure.put("unit", metric.unit());
            figure.put("better", metric.higherIsBetter() ? "higher" : "lower");
            for (Broker broker : Broker.values()) {
                figure.put(broker.id(), spreadJson(spread(broker, metric), values(broker, metric)));
            }
            Optional<Spread> ratio = ratio(metric);
            figure.put("ratio", spreadJson(ratio, ratios(metric)));
            if (metric.target().isPresent()) {
                figure.put("target", metric.targetText());
                figure.put("met", ratio.map(r -> (Object) metric.meets(r.median())).orElse(null));
            }
            figures.add(figure);
        }
        root.put("figures", figures);
        List<Object> kills = new ArrayList<>();
        for (Failover f : failovers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("broker", f.broker().id());
            row.put("round", f.round());
            row.put("kill", f.sample().kill());
            row.put("node", f.sample().node());
            row.put("partition", f.sample().partition());
            row.put("millis", f.sample().millis());
            kills.add(row);
        }
        root.put("failovers", kills);
        List<Object> noteRows = new ArrayList<>();
        for (Note n : notes) {
            noteRows.add(new LinkedHashMap<>(Map.of("broker", n.broker().id(), "round", n.round(), "text", n.text())));
        }
        root.put("notes", noteRows);
        return Json.write(root);
    }

    private static Map<String, Object> spreadJson(Optional<Spread> spread, List<Double> values) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("median", spread.map(Spread::median).orElse(null));
        json.put("min", spread.map(Spread::min).orElse(null));
        json.put("max", spread.map(Spread::max).orElse(null));
        json.put("values", values);
        return json;
    }

    /** {@code samples.csv}: broker, round, metric, value. */
    String samplesCsv() {
        StringBuilder csv = new StringBuilder("broker,round,metric,unit,value\n");
        for (Sample s : samples) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%.6f%n", s.broker().id(), s.round(), s.metric().id(), s.metric().unit(), s.value()));
        }
        return csv.toString();
    }

    /** {@code failovers.csv}: one row per partition that lost its leader; millis empty if not acknowledged again. */
    String failoversCsv() {
        StringBuilder csv = new StringBuilder("broker,round,kill,node,partition,millis\n");
        for (Failover f : failovers) {
            var s = f.sample();
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%s%n", f.broker().id(), f.round(), s.kill(), s.node(), s.partition(),
                    Double.isNaN(s.millis()) ? "" : String.format(Locale.ROOT, "%.1f", s.millis())));
        }
        return csv.toString();
    }
}
