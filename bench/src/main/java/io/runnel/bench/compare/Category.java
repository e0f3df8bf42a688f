package io.runnel.bench.compare;

/** What a scenario measures; decides which targets apply and where the chart draws it. */
enum Category {
    /** Producer throughput at saturation. */
    PRODUCE,
    /** Consumer throughput reading a prefilled topic. */
    CONSUME,
    /** Transactional produce or read_committed consume throughput (issue 12, which has its own targets). */
    TRANSACTIONS,
    /** Produce or consume throughput over SSL and SASL_SSL listeners (issue 13, which has its own targets). */
    TLS,
    /** End-to-end latency at a fixed moderate rate. */
    LATENCY,
    /** One record at a time, send then wait for it: a round-trip time. */
    ROUND_TRIP
}
