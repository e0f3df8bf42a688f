package io.runnel.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void shouldWriteFieldsInOrderOnOneLine() {
        String json = new Json().field("topic", "orders").field("offset", 5).rawField("headers", "[]").toString();

        assertThat(json).isEqualTo("{\"topic\":\"orders\",\"offset\":5,\"headers\":[]}");
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters() {
        String json = new Json().field("value", "say \"hi\"\\ \n\r\t\b\f\u0001 end").toString();

        assertThat(json).isEqualTo("{\"value\":\"say \\\"hi\\\"\\\\ \\n\\r\\t\\b\\f\\u0001 end\"}");
    }

    @Test
    void shouldKeepNonAsciiTextAsIs() {
        assertThat(new Json().field("value", "café ✓ 😀").toString()).isEqualTo("{\"value\":\"café ✓ 😀\"}");
    }

    @Test
    void shouldWriteNullAsJsonNull() {
        assertThat(new Json().field("key", (String) null).toString()).isEqualTo("{\"key\":null}");
    }
}
