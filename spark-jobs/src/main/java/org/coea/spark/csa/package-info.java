/** The csa stage: trains the causal self-attention user encoder and writes h_u per user. */
package org.coea.spark.csa;
