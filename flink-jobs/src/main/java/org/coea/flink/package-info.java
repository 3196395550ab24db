/** Flink streaming jobs of the CoEA platform and their command-line dispatcher. */
package org.coea.flink;
