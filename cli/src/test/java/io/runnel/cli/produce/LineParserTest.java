package io.runnel.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.cli.client.CommandFailure;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class LineParserTest {

    @Test
    void shouldSendTheWholeLineAsValueWithoutAKeySeparator() {
        LineParser.Parsed parsed = new LineParser(null, false).parse("a:b c", 1);

        assertThat(parsed.key()).isNull();
        assertThat(text(parsed.value())).isEqualTo("a:b c");
        assertThat(parsed.headers()).isEmpty();
    }

    @Test
    void shouldSplitKeyAndValueAtTheFirstSeparator() {
        LineParser.Parsed parsed = new LineParser("::", false).parse("customer::42::created", 1);

        assertThat(text(parsed.key())).isEqualTo("customer");
        assertThat(text(parsed.value())).isEqualTo("42::created");
    }

    @Test
    void shouldAllowAnEmptyKeyAndAnEmptyValue() {
        LineParser.Parsed parsed = new LineParser(":", false).parse(":", 1);

        assertThat(parsed.key()).isEmpty();
        assertThat(parsed.value()).isEmpty();
    }

    @Test
    void shouldReadHeadersBeforeTheFirstTab() {
        LineParser.Parsed parsed = new LineParser(":", true).parse("trace=abc,flag,empty=\tk:v\twith tab", 1);

        assertThat(parsed.headers()).extracting(Header::key).containsExactly("trace", "flag", "empty");
        assertThat(text(parsed.headers().get(0).value())).isEqualTo("abc");
        assertThat(parsed.headers().get(1).value()).isNull();
        assertThat(parsed.headers().get(2).value()).isEmpty();
        assertThat(text(parsed.key())).isEqualTo("k");
        assertThat(text(parsed.value())).isEqualTo("v\twith tab");
    }

    @Test
    void shouldReadNoHeadersFromAnEmptyHeaderField() {
        assertThat(new LineParser(null, true).parse("\tvalue", 1).headers()).isEmpty();
    }

    @Test
    void shouldNameTheLineWithoutItsKeySeparator() {
        assertThatThrownBy(() -> new LineParser(":", false).parse("no separator", 7))
                .isInstanceOf(CommandFailure.class).hasMessage("line 7 has no key separator ':'");
    }

    @Test
    void shouldNameTheLineWithoutATabAfterItsHeaders() {
        assertThatThrownBy(() -> new LineParser(null, true).parse("a=b value", 3))
                .isInstanceOf(CommandFailure.class).hasMessage("line 3 has no tab after its headers");
    }

    @Test
    void shouldEncodeUtf8() {
        assertThat(new LineParser(null, false).parse("café", 1).value()).isEqualTo("café".getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
