package io.runnel.metadata;

/** Told of every new metadata image, on the thread that committed it, in commit order. */
@FunctionalInterface
public interface MetadataListener {

    /** Called after {@code current} replaced {@code previous}; must not block for long. */
    void onImage(MetadataImage previous, MetadataImage current);
}
