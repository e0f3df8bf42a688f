package io.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EphemeralPortRangeTest {

    @TempDir
    Path tempDir;

    @Test
    void shouldReadTheRangeAsLinuxWritesIt() throws IOException {
        Path file = Files.writeString(tempDir.resolve("ip_local_port_range"), "40000\t50999\n");

        EphemeralPortRange range = EphemeralPortRange.readFrom(file);

        assertThat(range).isEqualTo(new EphemeralPortRange(40000, 50999));
        assertThat(range.contains(40000)).isTrue();
        assertThat(range.contains(50999)).isTrue();
        assertThat(range.contains(39999)).isFalse();
        assertThat(range.contains(51000)).isFalse();
    }

    @Test
    void shouldFallBackToTheLinuxDefaultWhenTheFileIsMissing() {
        assertThat(EphemeralPortRange.readFrom(tempDir.resolve("missing"))).isEqualTo(EphemeralPortRange.LINUX_DEFAULT);
    }

    @Test
    void shouldFallBackToTheLinuxDefaultWhenTheFileIsMalformed() throws IOException {
        Path file = Files.writeString(tempDir.resolve("ip_local_port_range"), "32768\n");

        assertThat(EphemeralPortRange.readFrom(file)).isEqualTo(EphemeralPortRange.LINUX_DEFAULT);
    }
}
