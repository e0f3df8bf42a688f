package io.runnel.broker.quota;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The {@code throttle_time_ms} field of every answer that has one, read and raised without knowing the
 * answer's type (Kafka's {@code AbstractResponse.maybeSetThrottleTimeMs}): the generated message classes
 * share no interface for it, so their accessors are looked up once per API. Reading costs one method
 * handle call, without allocation. Thread-safe (immutable).
 */
public final class ResponseThrottleTime {

    private static final MethodType GETTER = MethodType.methodType(int.class, ApiMessage.class);
    private static final MethodType SETTER = MethodType.methodType(void.class, ApiMessage.class, int.class);

    private record Accessors(MethodHandle get, MethodHandle set) { }

    private static final Map<ApiKeys, Accessors> ACCESSORS = accessors();

    private ResponseThrottleTime() {
    }

    private static Map<ApiKeys, Accessors> accessors() {
        Map<ApiKeys, Accessors> accessors = new EnumMap<>(ApiKeys.class);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (ApiKeys key : ApiKeys.values()) {
            try {
                Class<?> type = key.messageType.newResponse().getClass();
                MethodHandle get = lookup.findVirtual(type, "throttleTimeMs", MethodType.methodType(int.class)).asType(GETTER);
                MethodHandle set = lookup.findVirtual(type, "setThrottleTimeMs", MethodType.methodType(type, int.class))
                        .asType(MethodType.methodType(void.class, ApiMessage.class, int.class));
                accessors.put(key, new Accessors(get, set));
            } catch (NoSuchMethodException | IllegalAccessException noThrottleField) {
                // this answer has no throttle time (a few inter-broker and early APIs)
            } catch (UnsupportedVersionException retired) {
                // an API kafka-clients keeps only as a number (ZooKeeper-era inter-broker APIs)
            }
        }
        return accessors;
    }

    /** The answer's throttle time, 0 when it has none or there is no answer. */
    public static int of(ApiKeys apiKey, ApiMessage response) {
        Accessors accessors = ACCESSORS.get(apiKey);
        if (accessors == null || response == null) {
            return 0;
        }
        try {
            return (int) accessors.get().invokeExact(response);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot read the throttle time of " + apiKey, e);
        }
    }

    /** Raises the answer's throttle time to {@code throttleMs} if it is lower (an answer without the field is left alone). */
    public static void raise(ApiKeys apiKey, ApiMessage response, int throttleMs) {
        Accessors accessors = ACCESSORS.get(apiKey);
        if (accessors == null || response == null || of(apiKey, response) >= throttleMs) {
            return;
        }
        try {
            accessors.set().invokeExact(response, throttleMs);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot set the throttle time of " + apiKey, e);
        }
    }
}
