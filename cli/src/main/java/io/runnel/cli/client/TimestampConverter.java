package io.runnel.cli.client;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import picocli.CommandLine;

/**
 * Reads a point in time given on the command line, as epoch milliseconds: a number of milliseconds
 * since the epoch ({@code 1764670530000}), or ISO-8601 with a zone ({@code 2026-12-02T10:15:30Z},
 * {@code 2026-12-02T11:15:30+01:00}) or without one, in this machine's time zone
 * ({@code 2026-12-02T10:15:30}, {@code 2026-12-02} for its midnight). Stateless.
 */
public final class TimestampConverter implements CommandLine.ITypeConverter<Long> {

    private final ZoneId localZone;

    /** A converter for this machine's time zone. */
    public TimestampConverter() {
        this(ZoneId.systemDefault());
    }

    /** A converter that reads times without a zone in {@code localZone}. */
    public TimestampConverter(ZoneId localZone) {
        this.localZone = localZone;
    }

    @Override
    public Long convert(String text) {
        String value = text.trim();
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            return Long.parseLong(value);
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(localZone).toInstant().toEpochMilli();
            }
            if (value.endsWith("Z") || value.endsWith("z")) {
                return Instant.parse(value.toUpperCase(java.util.Locale.ROOT)).toEpochMilli();
            }
            if (value.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(value).atZone(localZone).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            throw new CommandLine.TypeConversionException("'" + text
                    + "' is not a time: use ISO-8601 (2026-12-02T10:15:30Z, 2026-12-02T10:15:30 in local time) or epoch milliseconds");
        }
    }
}
