package org.coea.model.prompt;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.coea.model.tokens.ChatMl;
import org.coea.model.tokens.TokenCodec;

/**
 * Prompts for the production Qwen models: the kind's template, filled from the fields, as the user
 * message after the shared system message, rendered in ChatML with the assistant generation prompt
 * appended, then tokenized.
 *
 * <p>The rendered text reads {@code <|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n
 * {template}<|im_end|>\n<|im_start|>assistant\n}. An answer is the category name's tokens followed
 * by {@code <|im_end|>}, which is also {@link #eosId()}, so {@code prompt + answer} tokenizes like
 * the complete conversation text.
 */
public final class TextPromptCodec implements PromptCodec {
    private final TokenCodec tokenizer;
    private final PromptTemplates templates;
    private final int imEnd;

    /**
     * A codec over a tokenizer that knows the ChatML tokens.
     *
     * @throws IllegalArgumentException when the tokenizer lacks {@code <|im_start|>} or {@code
     *     <|im_end|>}, or does not read them as single tokens in text
     */
    public TextPromptCodec(TokenCodec tokenizer, PromptTemplates templates) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.imEnd = chatToken(tokenizer, ChatMl.IM_END);
        chatToken(tokenizer, ChatMl.IM_START);
    }

    /** A codec with the default templates. */
    public TextPromptCodec(TokenCodec tokenizer) {
        this(tokenizer, PromptTemplates.defaults());
    }

    /**
     * The ChatML text of a prompt, before tokenization.
     *
     * @throws MissingPromptFieldException naming a field the kind's template uses but the fields
     *     lack
     */
    public String render(PromptKind kind, PromptFields fields) {
        String user = templates.render(kind, fields);
        return ChatMl.render(List.of(ChatMl.system(templates.system()), ChatMl.user(user)), true);
    }

    @Override
    public int[] prompt(PromptKind kind, PromptFields fields) {
        return tokenizer.encode(render(kind, fields));
    }

    /**
     * The category name's tokens, then {@code <|im_end|>}.
     *
     * @throws IllegalArgumentException when the name is blank or holds a ChatML token
     */
    @Override
    public int[] answer(String category) {
        Objects.requireNonNull(category, "category");
        if (category.isBlank()) {
            throw new IllegalArgumentException("a category answer must not be blank");
        }
        // an assistant message with this content rejects names that hold ChatML tokens
        ChatMl.assistant(category);
        int[] name = tokenizer.encode(category);
        int[] out = Arrays.copyOf(name, name.length + 1);
        out[name.length] = imEnd;
        return out;
    }

    /** The id of {@code <|im_end|>}. */
    @Override
    public int eosId() {
        return imEnd;
    }

    @Override
    public int padId() {
        return tokenizer.padId();
    }

    /** The tokenizer the prompts go through. */
    public TokenCodec tokenizer() {
        return tokenizer;
    }

    private static int chatToken(TokenCodec tokenizer, String token) {
        int id =
                tokenizer
                        .id(token)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "the tokenizer has no "
                                                        + token
                                                        + " token; ChatML prompts need a Qwen"
                                                        + " instruction tokenizer"));
        int[] encoded = tokenizer.encode(token);
        if (encoded.length != 1 || encoded[0] != id) {
            throw new IllegalArgumentException(
                    "the tokenizer reads "
                            + token
                            + " in text as "
                            + Arrays.toString(encoded)
                            + " instead of the single id "
                            + id
                            + "; mark it as a special added token");
        }
        return id;
    }
}
