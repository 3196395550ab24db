package org.coea.model.generate;

/**
 * One constrained answer: which of the trie's answers, its tokens, and its log-probability under
 * the model (sum over its tokens).
 */
public record Candidate(int answer, int[] tokens, double logProb) {}
