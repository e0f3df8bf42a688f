package io.runnel.metadata.controller;

/**
 * A command's reply, sent once its records are committed. Immutable.
 *
 * @param reply the reply (see {@link ControllerCommand}), or null
 * @param offset the metadata offset at which the records are committed, so the sender can wait for its
 *     own image to reach it; -1 for a command that wrote nothing
 */
public record Committed(Object reply, long offset) { }
