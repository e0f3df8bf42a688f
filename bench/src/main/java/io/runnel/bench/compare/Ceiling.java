package io.runnel.bench.compare;

/**
 * A limit of this machine that no broker can beat, measured by the harness itself.
 *
 * @param name what was measured
 * @param megabytesPerSecond the rate, MB = 2<sup>20</sup> bytes
 */
record Ceiling(String name, double megabytesPerSecond) {
}
