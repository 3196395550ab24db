/**
 * The causal self-attention (CSA) user encoder of CoEA's DSIE stage, SASRec-style (Eq. 1, 4, 5):
 * the encoder and its blocks, next-item training with one sampled negative per position, the
 * leave-one-out evaluation (HR@10, NDCG@10 against 100 sampled negatives) with a popularity
 * baseline, and save/load as safetensors plus a JSON config.
 *
 * <p>Interpretations: the sparse features become one token, the mean of the embeddings of the
 * user's present feature values, prepended at position 0; items take right-aligned learned
 * positions (the last item is always position L), so left padding changes nothing; blocks are
 * pre-norm with a final layer norm and a ReLU feed-forward of width d; item embeddings are shared
 * between input and scoring. Negatives in evaluation are distinct; a negative that ties the
 * held-out item's score does not push it down.
 */
package org.coea.model.csa;
