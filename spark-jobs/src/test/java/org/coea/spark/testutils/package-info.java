/** Shared Spark test fixtures: one local[2] session per JVM and small generated input files. */
package org.coea.spark.testutils;
