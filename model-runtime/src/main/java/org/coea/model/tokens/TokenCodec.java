package org.coea.model.tokens;

import java.util.OptionalInt;

/**
 * A vocabulary that turns text into token ids and back, shared by the text and domain tokenizers so
 * that prompt building, training and decoding work with either model size.
 *
 * <p>Ids are dense in {@code [0, vocabSize())}. Encoding never adds special tokens, truncates or
 * pads: what the text says is what comes out.
 */
public interface TokenCodec {
    /** The ids of a text, all of them, with no special tokens added. */
    int[] encode(String text);

    /**
     * The text of ids, special tokens included.
     *
     * @throws IllegalArgumentException when an id is outside {@code [0, vocabSize())}
     */
    String decode(int[] ids);

    /** One more than the largest id this vocabulary produces. */
    int vocabSize();

    /** The id that ends a generated answer. */
    int eosId();

    /** The id that fills batches to a common length; never counted in losses. */
    int padId();

    /** The id of one token given by its exact vocabulary text, or empty when there is none. */
    OptionalInt id(String token);
}
