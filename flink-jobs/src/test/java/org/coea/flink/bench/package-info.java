/** The streaming benchmark behind bin/coea-bench-stream (not a test). */
package org.coea.flink.bench;
