package io.runnel.storage.cleaner;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's dedupe buffer: for each key in the dirty part of a log, the offset of its latest
 * record. Keys are stored as their MD5 hash (16 bytes) next to the offset (8 bytes), in open
 * addressing with linear probing over one preallocated array, so a map of {@code memory} bytes holds
 * {@code memory / 24} keys and adding one allocates nothing. Two keys with the same MD5 would be
 * taken for one, as in Kafka; the odds are negligible.
 *
 * <p>Not thread-safe: each cleaner thread owns one.
 */
final class OffsetMap {
    private static final int HASH_BYTES = 16;
    static final int ENTRY_BYTES = HASH_BYTES + Long.BYTES;

    private final ByteBuffer entries;
    private final int slots;
    private final MessageDigest digest;
    private final byte[] hash = new byte[HASH_BYTES];
    private int size;
    private long latestOffset = -1;

    /** A map using about {@code memory} bytes ({@code log.cleaner.dedupe.buffer.size} per thread). */
    OffsetMap(int memory) {
        this.slots = memory / ENTRY_BYTES;
        if (slots < 1) {
            throw new IllegalArgumentException("A dedupe buffer of " + memory + " bytes cannot hold even one key");
        }
        this.entries = ByteBuffer.allocate(slots * ENTRY_BYTES);
        try {
            this.digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }

    int slots() {
        return slots;
    }

    int size() {
        return size;
    }

    /** The offset up to which this map describes the log: records past it were not looked at. */
    long latestOffset() {
        return latestOffset;
    }

    /** Records that the log was read up to {@code offset}, even where no key was found. */
    void updateLatestOffset(long offset) {
        latestOffset = Math.max(latestOffset, offset);
    }

    /** Remembers {@code offset} as the latest of {@code key} (consumed); callers keep size below {@link #slots()}. */
    void put(ByteBuffer key, long offset) {
        hashOf(key);
        int position = find();
        if (position < 0) {
            throw new IllegalStateException("The offset map is full");
        }
        if (isEmpty(position)) {
            entries.put(position, hash);
            size++;
        }
        entries.putLong(position + HASH_BYTES, offset);
        latestOffset = offset;
    }

    /** The latest offset of {@code key} (consumed), or -1 if it is not in the map. */
    long get(ByteBuffer key) {
        hashOf(key);
        int position = find();
        return position < 0 || isEmpty(position) ? -1 : entries.getLong(position + HASH_BYTES);
    }

    void clear() {
        Arrays.fill(entries.array(), (byte) 0);
        size = 0;
        latestOffset = -1;
    }

    /**
     * The position of the slot holding {@link #hash}, or of the empty slot where it belongs; -1 if the
     * key is absent and the map full (only possible with a load factor of 1).
     */
    private int find() {
        int first = (hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | (hash[3] & 0xff);
        int slot = Math.floorMod(first, slots);
        for (int probes = 0; probes < slots; probes++) {
            int position = slot * ENTRY_BYTES;
            if (isEmpty(position) || Arrays.equals(entries.array(), position, position + HASH_BYTES, hash, 0, HASH_BYTES)) {
                return position;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        return -1;
    }

    private boolean isEmpty(int position) {
        return entries.getLong(position) == 0 && entries.getLong(position + 8) == 0 && entries.getLong(position + 16) == 0;
    }

    private void hashOf(ByteBuffer key) {
        digest.update(key);
        try {
            digest.digest(hash, 0, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
