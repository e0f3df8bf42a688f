package io.runnel.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TimestampConverterTest {

    private static final long NOON_UTC = 1_764_676_800_000L; // 2025-12-02T12:00:00Z
    private final TimestampConverter converter = new TimestampConverter(ZoneId.of("Europe/Paris"));

    @Test
    void shouldReadEpochMilliseconds() {
        assertThat(converter.convert("1764676800000")).isEqualTo(NOON_UTC);
    }

    @Test
    void shouldReadIsoInstantsAndOffsets() {
        assertThat(converter.convert("2025-12-02T12:00:00Z")).isEqualTo(NOON_UTC);
        assertThat(converter.convert("2025-12-02T12:00:00.250Z")).isEqualTo(NOON_UTC + 250);
        assertThat(converter.convert("2025-12-02T13:00:00+01:00")).isEqualTo(NOON_UTC);
        assertThat(converter.convert("2025-12-02T07:00:00-05:00")).isEqualTo(NOON_UTC);
    }

    @Test
    void shouldReadTimesWithoutAZoneInTheLocalZone() {
        assertThat(converter.convert("2025-12-02T13:00:00")).isEqualTo(NOON_UTC);
        assertThat(converter.convert("2025-12-02T13:00")).isEqualTo(NOON_UTC);
        assertThat(converter.convert("2025-12-02")).isEqualTo(NOON_UTC - 13 * 3_600_000L);
    }

    @Test
    void shouldRefuseTextThatIsNotATime() {
        assertThatThrownBy(() -> converter.convert("yesterday"))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("'yesterday' is not a time");
        assertThatThrownBy(() -> converter.convert("2025-13-45"))
                .isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
