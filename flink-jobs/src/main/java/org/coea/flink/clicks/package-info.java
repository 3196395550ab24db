/** Streaming ingest of the {@code clicks} topic: parsing records and routing rejects. */
package org.coea.flink.clicks;
