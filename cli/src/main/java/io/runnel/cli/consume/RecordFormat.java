package io.runnel.cli.consume;

import io.runnel.cli.output.Json;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How {@code runnel consume} prints a record, one line each. Keys, values and header values are
 * decoded as UTF-8; a null one is printed {@code null} (JSON {@code null}).
 */
enum RecordFormat {

    /** The value. */
    PLAIN {
        @Override
        String format(ConsumerRecord<byte[], byte[]> record, String keySeparator) {
            return String.valueOf(text(record.value()));
        }
    },

    /** The key, the separator, the value. */
    KV {
        @Override
        String format(ConsumerRecord<byte[], byte[]> record, String keySeparator) {
            return text(record.key()) + keySeparator + text(record.value());
        }
    },

    /**
     * A JSON object: {@code {"topic":"t","partition":0,"offset":5,"timestamp":1764670530000,"key":"k",
     * "value":"v","headers":[{"key":"trace","value":"abc"}]}}; headers are a list, as a record may
     * repeat a header name.
     */
    JSON {
        @Override
        String format(ConsumerRecord<byte[], byte[]> record, String keySeparator) {
            return new Json()
                    .field("topic", record.topic())
                    .field("partition", record.partition())
                    .field("offset", record.offset())
                    .field("timestamp", record.timestamp())
                    .field("key", text(record.key()))
                    .field("value", text(record.value()))
                    .rawField("headers", headers(record))
                    .toString();
        }
    };

    /** The line for {@code record} (without the line break). */
    abstract String format(ConsumerRecord<byte[], byte[]> record, String keySeparator);

    private static String headers(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder list = new StringBuilder("[");
        for (Header header : record.headers()) {
            if (list.length() > 1) {
                list.append(',');
            }
            list.append(new Json().field("key", header.key()).field("value", text(header.value())));
        }
        return list.append(']').toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
