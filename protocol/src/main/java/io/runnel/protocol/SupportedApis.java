package io.runnel.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs Runnel serves and the version ranges it advertises for each: exactly what is implemented,
 * never more. Immutable and thread-safe.
 */
public final class SupportedApis {

    private final Map<ApiKeys, ApiVersionRange> ranges;

    private SupportedApis(Map<ApiKeys, ApiVersionRange> ranges) {
        this.ranges = Collections.unmodifiableMap(new EnumMap<>(ranges));
    }

    /** Builds a table from the given ranges. */
    public static SupportedApis of(Map<ApiKeys, ApiVersionRange> ranges) {
        return new SupportedApis(ranges);
    }

    /** The range served for an API, if it is served at all. */
    public Optional<ApiVersionRange> range(ApiKeys apiKey) {
        return Optional.ofNullable(ranges.get(apiKey));
    }

    /** Whether a request for this API at this version is served. */
    public boolean accepts(ApiKeys apiKey, short version) {
        ApiVersionRange range = ranges.get(apiKey);
        return range != null && range.accepts(version);
    }

    /** Every served API as the ApiVersions response lists it, ordered by API key. */
    public ApiVersionsResponseData.ApiVersionCollection toApiVersions() {
        ApiVersionsResponseData.ApiVersionCollection collection = new ApiVersionsResponseData.ApiVersionCollection();
        ranges.forEach((key, range) -> collection.add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(key.id)
                .setMinVersion(range.advertisedMin())
                .setMaxVersion(range.max())));
        return collection;
    }

    /** The APIs served, for documentation and tests. */
    public Map<ApiKeys, ApiVersionRange> asMap() {
        return ranges;
    }
}
