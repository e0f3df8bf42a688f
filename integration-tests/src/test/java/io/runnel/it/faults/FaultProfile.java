package io.runnel.it.faults;

/**
 * How hard the fault tests push, from system properties: the short CI profile by default, the soak profile
 * with {@code -Drunnel.faults.soak=true}; {@code -Drunnel.faults.kills=N} sets the leader kills of either.
 */
final class FaultProfile {

    /** Leader kills in the short profile. */
    static final int CI_LEADER_KILLS = 2;
    /** Leader kills in the soak profile. */
    static final int SOAK_LEADER_KILLS = 50;

    private FaultProfile() {
    }

    /** Whether the soak profile runs. */
    static boolean soak() {
        return Boolean.getBoolean("runnel.faults.soak");
    }

    /** Leader kills of {@link LeaderKillIT}. */
    static int leaderKills() {
        return Integer.getInteger("runnel.faults.kills", soak() ? SOAK_LEADER_KILLS : CI_LEADER_KILLS);
    }

    /** How many times the other faults repeat: once in CI, {@code runnel.faults.rounds} (default 5) when soaking. */
    static int rounds() {
        return soak() ? Integer.getInteger("runnel.faults.rounds", 5) : 1;
    }

    /** The seed of the nemesis' choices, {@code runnel.faults.seed}, printed with each report so a run can be repeated. */
    static long seed() {
        return Long.getLong("runnel.faults.seed", System.nanoTime());
    }
}
