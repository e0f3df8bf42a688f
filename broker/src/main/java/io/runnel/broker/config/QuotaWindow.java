package io.runnel.broker.config;

/**
 * What a client quota's rate is measured over, as Kafka's {@code quota.window.num} samples of
 * {@code quota.window.size.seconds} each (11 of 1 s by default).
 */
public record QuotaWindow(int samples, int sampleSeconds) {

    /** Kafka's defaults. */
    public static final QuotaWindow DEFAULT = new QuotaWindow(11, 1);

    public QuotaWindow {
        if (samples < 1 || sampleSeconds < 1) {
            throw new IllegalArgumentException("a quota window needs at least one sample of at least a second");
        }
    }
}
