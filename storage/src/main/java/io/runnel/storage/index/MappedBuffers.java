package io.runnel.storage.index;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases a file mapping at once instead of when the garbage collector gets to its buffer. The JDK
 * has no public API for that; like Kafka we call {@code sun.misc.Unsafe#invokeCleaner} (module
 * {@code jdk.unsupported}). It is looked up reflectively so the code compiles against
 * {@code --release 17} without warnings and degrades to waiting for GC if a JDK lacks it.
 *
 * <p>Touching a buffer after {@link #unmap} crashes the JVM; callers must guarantee no thread can
 * still read it (see {@link MappedIndex}). Thread-safe.
 */
final class MappedBuffers {
    private static final Logger LOG = LoggerFactory.getLogger(MappedBuffers.class);
    private static final MethodHandle INVOKE_CLEANER = lookUpInvokeCleaner();

    private MappedBuffers() {
    }

    /** Unmaps {@code buffer} now if it is a file mapping and the JDK allows it; otherwise leaves it to GC. */
    static void unmap(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || !(buffer instanceof MappedByteBuffer)) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
        } catch (Throwable t) {
            LOG.warn("Could not unmap an index buffer, leaving it to the garbage collector: {}", t.toString());
        }
    }

    /** True if {@link #unmap} really unmaps on this JDK. */
    static boolean canUnmap() {
        return INVOKE_CLEANER != null;
    }

    private static MethodHandle lookUpInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            return MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
                    .bindTo(unsafe);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Index files will be unmapped only by the garbage collector: {}", e.toString());
            return null;
        }
    }
}
