/**
 * The training objectives of CoEA's language models: SFT (Eq. 9), pairwise reward (Eq. 12), DPO
 * (Eq. 16) with the KL constraint (Eq. 17).
 */
package org.coea.model.objective;
