package io.runnel.cli;

import picocli.CommandLine;

/** The version printed by {@code runnel --version}: the one in the jar's manifest. */
final class RunnelVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = RunnelVersion.class.getPackage().getImplementationVersion();
        return new String[] {"runnel " + (version != null ? version : "dev")};
    }
}
