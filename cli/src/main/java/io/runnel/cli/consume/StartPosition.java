package io.runnel.cli.consume;

import io.runnel.cli.client.TimestampConverter;
import picocli.CommandLine.Option;

/**
 * Where {@code runnel consume} starts reading: at most one of {@code --from-beginning},
 * {@code --offset}, {@code --timestamp}; none means the end (only records produced from now on).
 * Filled in by picocli.
 */
final class StartPosition {

    @Option(names = "--from-beginning", description = "Start at the first record (with --group: when the group has no committed offset).")
    boolean fromBeginning;

    @Option(names = "--offset", paramLabel = "N",
            description = "Start at offset N of each partition (kept within the partition's first and last offsets).")
    Long offset;

    @Option(names = "--timestamp", paramLabel = "time", converter = TimestampConverter.class,
            description = "Start at the first record at or after this time: ISO-8601 (2026-12-02T10:15:30Z) or epoch ms.")
    Long timestamp;
}
