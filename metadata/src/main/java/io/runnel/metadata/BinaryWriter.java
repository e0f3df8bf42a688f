package io.runnel.metadata;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a message's fields to a {@link DataOutputStream}; {@link #toBytes} returns what it wrote. */
@FunctionalInterface
public interface BinaryWriter {

    /** Writes the fields. */
    void write(DataOutputStream out) throws IOException;

    /** The bytes {@code writer} writes (in memory, so an I/O failure cannot happen). */
    static byte[] toBytes(BinaryWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
