package io.runnel.metadata.quorum;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;

/**
 * Snapshot files in Ratis' {@link SimpleStateMachineStorage} layout: one file {@code snapshot.<term>_<index>}
 * holding the state machine's bytes as they are, next to its {@code .md5}. The same files are what the leader
 * streams to a voter that is behind its purged log. Called on the state-machine updater thread only.
 */
final class SnapshotFiles {

    /** A snapshot read back: the bytes and the log position they reflect. */
    record Loaded(TermIndex termIndex, byte[] bytes) {
    }

    private SnapshotFiles() {
    }

    /** Writes the snapshot durably: to a temporary file, fsync, atomic rename, fsync of the directory, then its MD5. */
    static void write(SimpleStateMachineStorage storage, TermIndex at, byte[] bytes) throws IOException {
        File target = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        Path tmp = target.toPath().resolveSibling(target.getName() + ".writing");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.toPath().getParent());
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), at));
    }

    /** The newest snapshot in storage (after verifying its MD5 when there is one), if any. */
    static Optional<Loaded> readLatest(SimpleStateMachineStorage storage) throws IOException {
        SingleFileSnapshotInfo info = storage.loadLatestSnapshot();
        if (info == null) {
            return Optional.empty();
        }
        Path path = info.getFile().getPath();
        MD5Hash md5 = info.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), md5);
        }
        return Optional.of(new Loaded(info.getTermIndex(), Files.readAllBytes(path)));
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
