/**
 * The ingest stage: MovieLens, generic click logs or the synthetic generator into the warehouse.
 */
package org.coea.spark.ingest;
