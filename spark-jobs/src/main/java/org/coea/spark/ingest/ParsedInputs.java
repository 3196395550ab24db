package org.coea.spark.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a source read: parsed events, items and users (schemas {@link IngestSchemas#PARSED_EVENTS},
 * {@link IngestSchemas#PARSED_ITEMS}, {@link IngestSchemas#PARSED_USERS}), each row either accepted
 * (reason null) or rejected.
 *
 * @param format a short name of the input format, for metrics
 */
record ParsedInputs(String format, Dataset<Row> events, Dataset<Row> items, Dataset<Row> users) {}
