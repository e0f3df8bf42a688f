package io.runnel.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class OffsetMapTest {

    private static ByteBuffer key(String key) {
        return ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRememberTheLatestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(24 * 100);
        for (int i = 0; i < 300; i++) {
            map.put(key("k" + (i % 50)), i);
        }

        assertThat(map.size()).isEqualTo(50);
        assertThat(map.get(key("k7"))).isEqualTo(257);
        assertThat(map.get(key("absent"))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(299);
    }

    @Test
    void shouldAnswerAbsentKeysOfAFullMap() {
        OffsetMap map = new OffsetMap(24 * 4);
        for (int i = 0; i < 4; i++) {
            map.put(key("k" + i), i);
        }

        assertThat(map.get(key("k3"))).isEqualTo(3);
        assertThat(map.get(key("other"))).isEqualTo(-1);
    }

    @Test
    void shouldForgetEverythingOnClear() {
        OffsetMap map = new OffsetMap(24 * 10);
        map.put(key("k"), 5);

        map.clear();

        assertThat(map.get(key("k"))).isEqualTo(-1);
        assertThat(map.size()).isZero();
        assertThat(map.latestOffset()).isEqualTo(-1);
    }
}
