/**
 * The sequences stage: long-term (Eq. 3) and short-term sequences per user from the training split.
 */
package org.coea.spark.sequences;
