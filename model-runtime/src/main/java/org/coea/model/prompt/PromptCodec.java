package org.coea.model.prompt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns prompt fields and category answers into token ids for one model size, so that datasets,
 * trainers and generation share one prompt builder whether the model is the production Qwen ({@link
 * TextPromptCodec}) or the embedded one ({@link DomainPromptCodec}).
 *
 * <p>A training example is {@code prompt(kind, fields)} followed by {@code answer(category)}; the
 * SFT loss covers the answer ids only (Eq. 9).
 */
public interface PromptCodec {
    /**
     * The prompt ids of a kind: everything the model reads before it answers.
     *
     * @throws MissingPromptFieldException naming a field the prompt needs but the fields lack
     */
    int[] prompt(PromptKind kind, PromptFields fields);

    /** The ids the model should generate for a category: its tokens, then {@link #eosId()}. */
    int[] answer(String category);

    /**
     * The {@link #answer} of each category, in the collection's order, for decoding constrained to
     * valid categories; each ends with {@link #eosId()}, since one category's tokens can be a
     * prefix of another's.
     */
    default List<int[]> categorySequences(Collection<String> categories) {
        List<int[]> out = new ArrayList<>(categories.size());
        for (String c : categories) {
            out.add(answer(c));
        }
        return out;
    }

    /** The id that ends an answer. */
    int eosId();

    /** The id that pads batches. */
    int padId();
}
