package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.runnel.broker.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

class OpenSslContextsTest {

    @Test
    void shouldRefuseOpenSslInOneLineWhereItsNativeLibraryDoesNotLoad() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no netty_tcnative_sunos_sparcv9 in java.library.path");

        assertThatThrownBy(() -> OpenSslContexts.requireAvailable("SSL", cause))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("runnel.ssl.provider").hasMessageContaining("listener SSL")
                .hasMessageContaining("netty_tcnative_sunos_sparcv9").hasMessageNotContaining("\n");
    }

    @Test
    void shouldAcceptOpenSslWhereItsNativeLibraryLoads() {
        // The broker ships netty-tcnative's BoringSSL for Linux, macOS and Windows, so it loads here.
        assertThat(OpenSsl.unavailabilityCause()).isNull();
        OpenSslContexts.requireAvailable("SSL", OpenSsl.unavailabilityCause());
    }

    @Test
    void shouldAskForClientCertificatesAsSslClientAuthSays() {
        assertThat(OpenSslContexts.clientAuth("required")).isEqualTo(ClientAuth.REQUIRE);
        assertThat(OpenSslContexts.clientAuth("requested")).isEqualTo(ClientAuth.OPTIONAL);
        assertThat(OpenSslContexts.clientAuth("none")).isEqualTo(ClientAuth.NONE);
    }
}
