package org.coea.model.pco;

/**
 * A category the Novelty model proposes, with its log-probability under decoding constrained to
 * valid categories outside the short-term set (Eq. 10).
 */
public record Proposal(int categoryId, double logProb) {}
