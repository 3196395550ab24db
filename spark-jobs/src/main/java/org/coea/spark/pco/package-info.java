/**
 * The PCO stages on Spark (METHOD.md, Eq. 8-17): {@code pco-datasets}, {@code novelty-train},
 * {@code relevance-train}, {@code generate}, {@code score} and {@code pco-cycle}. They move rows to
 * the engine-free rules ({@link org.coea.common.pco.PcoExamples}) and models ({@link
 * org.coea.model.pco}) and back.
 */
package org.coea.spark.pco;
