package io.runnel.cli.group;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A {@code --topic} argument of {@code reset-offsets}: {@code orders} (every partition) or
 * {@code orders:0,2} (those partitions), as Kafka's tool reads it. Immutable.
 *
 * @param topic      the topic's name
 * @param partitions the partitions named, or empty for all
 */
record TopicSelection(String topic, List<Integer> partitions) {

    /**
     * Parses an argument.
     *
     * @throws CommandLine.TypeConversionException when a partition is not a number
     */
    static TopicSelection parse(String argument) {
        int colon = argument.lastIndexOf(':');
        if (colon < 0) {
            return new TopicSelection(argument, List.of());
        }
        List<Integer> partitions = new ArrayList<>();
        for (String partition : argument.substring(colon + 1).split(",")) {
            try {
                partitions.add(Integer.parseInt(partition.trim()));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + partition + "' in '" + argument + "' is not a partition number");
            }
        }
        return new TopicSelection(argument.substring(0, colon), List.copyOf(partitions));
    }

    /** Lets picocli read {@code --topic} values with {@link #parse}. */
    static final class Converter implements CommandLine.ITypeConverter<TopicSelection> {
        @Override
        public TopicSelection convert(String value) {
            return parse(value);
        }
    }
}
