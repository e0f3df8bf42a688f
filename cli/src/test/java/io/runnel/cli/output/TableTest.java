package io.runnel.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void shouldAlignColumnsWithTwoSpacesAndNoTrailingSpaces() {
        Table table = new Table("TOPIC", "PARTITION", "LAG").row("orders", 0, 12).row("a", 10, null);

        assertThat(print(table).lines()).containsExactly(
                "TOPIC   PARTITION  LAG",
                "orders  0          12",
                "a       10         -");
    }

    @Test
    void shouldPrintOnlyTheHeaderWithoutRows() {
        assertThat(print(new Table("GROUP", "STATE")).lines()).containsExactly("GROUP  STATE");
    }

    @Test
    void shouldRefuseARowOfTheWrongWidth() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String print(Table table) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            table.print(out);
        }
        return text.toString();
    }
}
