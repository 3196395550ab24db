/** The {@code evaluate} stage: the offline protocol of docs/evaluation.md over the warehouse. */
package org.coea.spark.eval;
