package io.runnel.group.classic;

import static io.runnel.group.classic.ClassicTestKit.GROUP;
import static io.runnel.group.classic.ClassicTestKit.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.junit.jupiter.api.Test;

class ClassicGroupSubscriptionTest {

    private final ClassicTestKit kit = new ClassicTestKit();

    private void joinWith(String protocolType, byte[] metadata) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(metadata));
        String memberId = kit.join(joinRequest("")).join().memberId();
        kit.awaitAll(List.of(kit.join(joinRequest(memberId).setProtocolType(protocolType).setProtocols(protocols))));
    }

    @Test
    void shouldBeSubscribedToTopicsOfConsumerMembers() {
        joinWith("consumer", ClassicTestKit.subscription("orders", "payments"));

        assertThat(kit.group().isSubscribedTo("payments")).isTrue();
        assertThat(kit.group().isSubscribedTo("other")).isFalse();
    }

    @Test
    void shouldTreatUnparsableConsumerMetadataAsSubscribedToEverything() {
        joinWith("consumer", new byte[] {1});

        assertThat(kit.group().isSubscribedTo("anything")).isTrue();
    }

    @Test
    void shouldNotBeSubscribedWhenProtocolIsNotConsumer() {
        joinWith("connect", ClassicTestKit.subscription("orders"));

        assertThat(kit.group().isSubscribedTo("orders")).isFalse();
    }

    @Test
    void shouldNotBeSubscribedWhenEmpty() {
        assertThat(kit.manager.getOrCreateEmptyGroup(GROUP).isSubscribedTo("orders")).isFalse();
    }
}
