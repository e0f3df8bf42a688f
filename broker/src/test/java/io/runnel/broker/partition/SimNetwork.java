package io.runnel.broker.partition;

import java.util.Random;
import java.util.TreeSet;

/**
 * The simulated network between the controller ({@link #CONTROLLER}), the brokers (their ids) and the
 * clients ({@link #CLIENTS}): every message takes its own random delay (so messages between two nodes
 * may overtake each other), some are dropped, and cut links drop everything, including messages already
 * on their way when the cut happens. Nothing here knows what a message means; the receiver's closure
 * does. Not thread-safe.
 */
final class SimNetwork {

    static final int CONTROLLER = 0;
    static final int CLIENTS = -1;

    /** How a run's network behaves, drawn from its seed. */
    record Settings(int baseLatencyMs, int jitterMs, double dropRate, double spikeRate, int spikeMs) {

        static Settings draw(Random random) {
            return new Settings(random.nextInt(4), 1 + random.nextInt(20), random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.03,
                    random.nextDouble() * 0.02, 50 + random.nextInt(1500));
        }
    }

    private final SimScheduler scheduler;
    private final Random random;
    private Settings settings;
    /** Cut links as {@code low * 1000 + high} (node ids are small). */
    private final TreeSet<Integer> cut = new TreeSet<>();
    long sent;
    long dropped;

    SimNetwork(SimScheduler scheduler, Random random, Settings settings) {
        this.scheduler = scheduler;
        this.random = random;
        this.settings = settings;
    }

    /** A network that loses and delays nothing unusual any more (for the quiet end of a run). */
    void calm() {
        settings = new Settings(settings.baseLatencyMs(), Math.min(settings.jitterMs(), 5), 0, 0, 0);
        cut.clear();
    }

    void cut(int a, int b) {
        cut.add(key(a, b));
    }

    void heal(int a, int b) {
        cut.remove(key(a, b));
    }

    void healAll() {
        cut.clear();
    }

    boolean connected(int a, int b) {
        return a == b || !cut.contains(key(a, b));
    }

    boolean anyCut() {
        return !cut.isEmpty();
    }

    /** Sends a message from {@code from} to {@code to}; {@code deliver} runs on arrival, unless it is lost. */
    void send(int from, int to, Runnable deliver) {
        sent++;
        if (!connected(from, to) || random.nextDouble() < settings.dropRate()) {
            dropped++;
            return;
        }
        long delay = settings.baseLatencyMs() + random.nextInt(settings.jitterMs() + 1);
        if (random.nextDouble() < settings.spikeRate()) {
            delay += random.nextInt(settings.spikeMs() + 1);
        }
        scheduler.after(delay, () -> {
            if (connected(from, to)) {
                deliver.run();
            } else {
                dropped++;
            }
        });
    }

    private static int key(int a, int b) {
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        return (low + 1) * 1000 + high + 1;
    }
}
