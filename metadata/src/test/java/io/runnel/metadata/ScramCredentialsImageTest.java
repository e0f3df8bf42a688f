package io.runnel.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SCRAM credentials replayed into the image, as Kafka's ScramImage keeps them, and carried by a snapshot. */
class ScramCredentialsImageTest {

    private static final byte SHA_256 = 1;
    private static final byte SHA_512 = 2;

    private static MetadataRecord.UserScramCredentialRecord credential(String user, byte mechanism, int iterations) {
        return new MetadataRecord.UserScramCredentialRecord(user, mechanism, new byte[] {1}, new byte[] {2}, new byte[] {3}, iterations);
    }

    @Test
    void shouldKeepTheLatestCredentialPerUserAndMechanism() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(credential("alice", SHA_256, 4096), credential("alice", SHA_512, 8192),
                credential("alice", SHA_256, 10000)), 3);

        assertThat(image.scramCredential("alice", SHA_256).iterations()).isEqualTo(10000);
        assertThat(image.scramCredential("alice", SHA_512).iterations()).isEqualTo(8192);
        assertThat(image.scramCredential("bob", SHA_256)).isNull();
    }

    @Test
    void shouldForgetAUserWhoseLastCredentialIsRemoved() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(credential("alice", SHA_256, 4096), credential("alice", SHA_512, 4096),
                new MetadataRecord.RemoveUserScramCredentialRecord("alice", SHA_256)), 3);
        assertThat(image.scramCredentials().get("alice")).containsOnlyKeys(SHA_512);

        MetadataImage emptied = image.apply(new MetadataRecord.RemoveUserScramCredentialRecord("alice", SHA_512));

        assertThat(emptied.scramCredentials()).isEmpty();
    }

    @Test
    void shouldRebuildTheCredentialsFromTheImagesRecords() {
        MetadataImage image = MetadataImage.EMPTY.apply(List.of(credential("alice", SHA_256, 4096), credential("bob", SHA_512, 8192)), 2);

        MetadataImage rebuilt = MetadataImage.EMPTY.apply(image.asRecords(), 2);

        assertThat(rebuilt.scramCredentials()).isEqualTo(image.scramCredentials());
    }
}
