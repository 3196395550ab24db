/** Kafka sources and exactly-once sinks shared by the streaming jobs. */
package org.coea.flink.kafka;
