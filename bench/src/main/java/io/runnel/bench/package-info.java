/**
 * JMH microbenchmarks of Runnel's hot paths. Build with {@code ./mvnw -q install -DskipTests}, run with
 * {@code java -jar bench/target/benchmarks.jar} (see docs/performance.md).
 */
package io.runnel.bench;
