package io.runnel.metadata.quorum;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys.Log.CorruptionPolicy;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Builds the Ratis configuration of voters and clients from {@link QuorumSettings}, in one place. Stateless. */
final class RatisProperties {

    /**
     * Segments roll at 1 MiB: the metadata log is small, and only closed segments are purged after a
     * snapshot, so a smaller segment lets the log shrink sooner.
     */
    static final SizeInBytes SEGMENT_SIZE = SizeInBytes.valueOf("1MB");

    private RatisProperties() {
    }

    static RaftProperties forVoter(QuorumVoter self, Path storageDir, QuorumSettings settings) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(p, self.host());
        NettyConfigKeys.Server.setPort(p, self.port());
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));

        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(settings.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(settings.electionTimeoutMax()));
        Duration firstMax = settings.firstElectionTimeout();
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, millis(firstMax.dividedBy(3)));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, millis(firstMax));

        // Durability: every entry is fsynced before this voter acknowledges it (these are Ratis' defaults;
        // set explicitly so nobody flips them by accident).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SEGMENT_SIZE);
        // A crash mid-append leaves a torn tail in the open segment. Those entries were never fsynced, hence
        // never acknowledged, so dropping them is safe; the default (EXCEPTION) would refuse to start.
        RaftServerConfigKeys.Log.setCorruptionPolicy(p, CorruptionPolicy.WARN_AND_RETURN);

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // Purge the log up to each snapshot; a voter behind the purge point gets the snapshot installed.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(settings.snapshotEveryEntries(), 1024));
        return p;
    }

    static RaftProperties forClient(QuorumSettings settings) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.NETTY);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(perAttemptTimeout(settings)));
        return p;
    }

    /** One attempt against one voter: a third of the whole budget, so a dead voter cannot eat all of it. */
    static Duration perAttemptTimeout(QuorumSettings settings) {
        return settings.requestTimeout().dividedBy(3);
    }

    static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
    }
}
