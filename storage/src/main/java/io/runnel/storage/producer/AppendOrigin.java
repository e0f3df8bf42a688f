package io.runnel.storage.producer;

/**
 * Who is appending to a log, which decides how much of the producer state the append is checked
 * against (Kafka's {@code AppendOrigin}).
 * <ul>
 *   <li>{@link #CLIENT}: a produce request. Epochs, sequences, duplicates, transaction state and the
 *       verification guard are checked; control batches are refused.</li>
 *   <li>{@link #COORDINATOR}: the group or transaction coordinator of this broker. Data batches are
 *       checked for their epoch only (offset commits carry no meaningful sequence); control batches
 *       (transaction markers) are allowed and checked against the producer and coordinator epochs.</li>
 *   <li>{@link #REPLICATION}: batches a leader already checked, applied as they are.</li>
 * </ul>
 */
public enum AppendOrigin {
    CLIENT,
    COORDINATOR,
    REPLICATION
}
