/** The warehouse: Parquet tables under one root, atomic publication, stage metrics. */
package org.coea.spark.warehouse;
