package io.runnel.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

    @Test
    void shouldPrintTheValueInPlainFormat() {
        assertThat(RecordFormat.PLAIN.format(record("k", "v"), "=")).isEqualTo("v");
        assertThat(RecordFormat.PLAIN.format(record("k", null), "=")).isEqualTo("null");
    }

    @Test
    void shouldPrintKeySeparatorValueInKvFormat() {
        assertThat(RecordFormat.KV.format(record("k", "v"), " => ")).isEqualTo("k => v");
        assertThat(RecordFormat.KV.format(record(null, "v"), "=")).isEqualTo("null=v");
    }

    @Test
    void shouldPrintEveryFieldAndHeaderInJsonFormat() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("trace", bytes("a\"b")));
        headers.add(new RecordHeader("trace", null));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 2, 41L, 1764670530000L, TimestampType.CREATE_TIME,
                1, 5, null, bytes("line\nbreak"), headers, Optional.empty());

        assertThat(RecordFormat.JSON.format(record, "=")).isEqualTo("{\"topic\":\"orders\",\"partition\":2,\"offset\":41,"
                + "\"timestamp\":1764670530000,\"key\":null,\"value\":\"line\\nbreak\","
                + "\"headers\":[{\"key\":\"trace\",\"value\":\"a\\\"b\"},{\"key\":\"trace\",\"value\":null}]}");
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>("t", 0, 0L, bytes(key), bytes(value));
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
