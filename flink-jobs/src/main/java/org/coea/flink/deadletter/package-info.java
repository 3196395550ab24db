/** Records that a streaming job could not use, kept with the reason for inspection and replay. */
package org.coea.flink.deadletter;
