package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerCommandTest {

    @Test
    void shouldParseThePlainServerFormsWithoutPicocli() {
        assertThat(ServerCommand.parsePlain(new String[] {"server"})).isPresent();
        assertThat(ServerCommand.parsePlain(new String[] {"server", "config/server.properties", "--override", "node.id=2",
                "--override=log.dirs=/tmp/a=b"})).isPresent();
    }

    @Test
    void shouldLeaveEverythingElseToPicocli() {
        assertThat(ServerCommand.parsePlain(new String[] {})).isEmpty();
        assertThat(ServerCommand.parsePlain(new String[] {"topic", "list"})).isEmpty();
        assertThat(ServerCommand.parsePlain(new String[] {"server", "--help"})).isEmpty();
        assertThat(ServerCommand.parsePlain(new String[] {"server", "--override", "no-equals-sign"})).isEmpty();
        assertThat(ServerCommand.parsePlain(new String[] {"server", "--override"})).isEmpty();
        assertThat(ServerCommand.parsePlain(new String[] {"server", "a.properties", "b.properties"})).isEmpty();
    }
}
