/** Shared fixtures of the flink-jobs tests: the in-process Kafka broker and seeded click data. */
package org.coea.flink.testutils;
