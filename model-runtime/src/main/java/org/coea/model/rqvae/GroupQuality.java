package org.coea.model.rqvae;

import java.util.List;

/**
 * Quality figures of a CSID grouping: codebook usage and code entropy per level, group count and
 * balance, and the intra- versus inter-group cosine similarity of the paper's Figure 3 (estimator
 * in {@link GroupAssigner#quality}).
 *
 * @param codebookUsage per level, distinct codes used / K
 * @param codeEntropyBits per level, the entropy of the code distribution over users, in bits
 * @param groups the number of groups
 * @param distinctCsids the number of distinct CSIDs before merging
 * @param largestGroupShare the largest group's users / all users
 * @param cosineGroups the number of groups sampled for the cosine figures
 * @param intraCosine mean cosine between users of one group (NaN without a group of 2+ users)
 * @param interCosine mean cosine between users of different groups (NaN with fewer than two sampled
 *     groups)
 */
public record GroupQuality(
        List<Double> codebookUsage,
        List<Double> codeEntropyBits,
        int groups,
        int distinctCsids,
        double largestGroupShare,
        int cosineGroups,
        double intraCosine,
        double interCosine) {

    /** Keeps unmodifiable copies of the lists. */
    public GroupQuality {
        codebookUsage = List.copyOf(codebookUsage);
        codeEntropyBits = List.copyOf(codeEntropyBits);
    }
}
