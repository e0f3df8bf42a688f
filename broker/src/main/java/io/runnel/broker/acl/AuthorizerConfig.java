package io.runnel.broker.acl;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The authorizer's settings, with Kafka's keys: {@code authorizer.class.name} (empty: no authorizer;
 * {@value #STANDARD_AUTHORIZER}: ACLs from the metadata log), {@code super.users} (principals separated
 * by semicolons) and {@code allow.everyone.if.no.acl.found}. Immutable.
 *
 * @param enabled whether the standard authorizer is on
 * @param superUsers the principals that may do anything
 * @param allowEveryoneIfNoAclFound whether a resource no ACL names is open to everyone
 */
public record AuthorizerConfig(boolean enabled, List<KafkaPrincipal> superUsers, boolean allowEveryoneIfNoAclFound) {

    /** Kafka's name of its KRaft authorizer, whose rules Runnel's follows. */
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    public AuthorizerConfig {
        superUsers = List.copyOf(superUsers);
    }

    /**
     * The settings from Kafka's configuration values.
     *
     * @throws IllegalArgumentException naming the key, for an authorizer other than {@value #STANDARD_AUTHORIZER}
     *     or a super user that is not a principal ({@code Type:name})
     */
    public static AuthorizerConfig parse(String className, String superUsers, boolean allowEveryoneIfNoAclFound) {
        String name = className == null ? "" : className.trim();
        if (!name.isEmpty() && !name.equals(STANDARD_AUTHORIZER)) {
            throw new IllegalArgumentException("Invalid value " + name + " for configuration authorizer.class.name: Runnel serves only "
                    + STANDARD_AUTHORIZER + " (ACLs kept in the metadata log), or none");
        }
        return new AuthorizerConfig(!name.isEmpty(), parseSuperUsers(superUsers), allowEveryoneIfNoAclFound);
    }

    private static List<KafkaPrincipal> parseSuperUsers(String superUsers) {
        if (superUsers == null || superUsers.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(superUsers.split(";")).map(String::trim).filter(s -> !s.isEmpty()).map(Principals::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value " + superUsers + " for configuration super.users: " + e.getMessage(), e);
        }
    }

    /** The authorizer these settings choose: the standard one, or {@link RequestAuthorizer#ALLOW_ALL}. */
    public RequestAuthorizer authorizer() {
        return enabled ? new StandardAuthorizer(this) : RequestAuthorizer.ALLOW_ALL;
    }
}
