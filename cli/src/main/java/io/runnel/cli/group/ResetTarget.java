package io.runnel.cli.group;

import io.runnel.cli.client.TimestampConverter;
import picocli.CommandLine.Option;

/**
 * Where {@code runnel group reset-offsets} moves offsets: exactly one of the options. Filled in by picocli.
 */
final class ResetTarget {

    @Option(names = "--to-earliest", description = "To each partition's first offset.")
    boolean toEarliest;

    @Option(names = "--to-latest", description = "To each partition's end (skip everything not yet read).")
    boolean toLatest;

    @Option(names = "--to-offset", paramLabel = "N", description = "To offset N (kept within each partition's first and end offsets).")
    Long toOffset;

    @Option(names = "--to-datetime", paramLabel = "time", converter = TimestampConverter.class,
            description = "To the first record at or after this time: ISO-8601 (2026-12-02T10:15:30Z) or epoch ms; the end if none.")
    Long toDatetime;

    @Option(names = "--shift-by", paramLabel = "N", description = "By N from the committed offset (negative: back).")
    Long shiftBy;
}
