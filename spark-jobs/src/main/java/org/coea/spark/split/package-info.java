/** The split stage: time-based train, validation and test tables. */
package org.coea.spark.split;
