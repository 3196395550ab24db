package org.coea.common.store;

/** One novel category of a stored answer: the category id and its Relevance score (Eq. 13). */
public record NovelCategory(int categoryId, double score) {
    public NovelCategory {
        if (categoryId < 0) {
            throw new IllegalArgumentException("category id must be >= 0, got " + categoryId);
        }
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException(
                    "score of category " + categoryId + " must be finite, got " + score);
        }
    }
}
