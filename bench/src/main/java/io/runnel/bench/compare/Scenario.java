package io.runnel.bench.compare;

/**
 * One row group of the comparison: a load, run the same way against each broker in every round.
 *
 * @param id a short name, unique in a run, used in CSV and to filter with {@code --only}
 * @param title what the table calls it
 * @param category what it measures
 * @param load the load generator run
 */
record Scenario(String id, String title, Category category, Load load) {
}
