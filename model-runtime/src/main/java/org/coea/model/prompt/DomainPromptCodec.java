package org.coea.model.prompt;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.coea.model.tokens.DomainTokenizer;
import org.coea.model.tokens.DomainTokenizer.Special;

/**
 * Prompts for the embedded model: the same fields as the text templates, written as domain tokens.
 *
 * <p>Layout, one token per item:
 *
 * <pre>
 * &lt;bos&gt; &lt;novelty|relevance&gt; [CSID code tokens] &lt;profile&gt; [profile category tokens]
 *     &lt;recent&gt; [recent category tokens] &lt;sep&gt; [&lt;candidate&gt; candidate token]
 * </pre>
 *
 * <ul>
 *   <li>the CSID code tokens ({@code <L0:c0> <L1:c1> ...}) appear when the fields have a CSID, none
 *       for the "w/o Long" ablation;
 *   <li>{@code <profile>} is always there, followed by the group's dominant categories, possibly
 *       none;
 *   <li>{@code <recent>} is followed by the user's recent categories, oldest first; at least one is
 *       required, except by a codec made {@link #withoutShortTerm} for the "w/o Short" ablation;
 *   <li>{@code <candidate>} and the candidate's token close a Relevance prompt only: the reward
 *       head reads the last position. A Novelty prompt ends with {@code <sep>}, after which the
 *       model writes a category token and {@code <eos>}.
 * </ul>
 *
 * <p>The textual profile and representative histories are not used: the embedded model does not
 * write profiles, so {@link PromptKind#PROFILE} is not supported. Every category must be in the
 * vocabulary.
 */
public final class DomainPromptCodec implements PromptCodec {
    private final DomainTokenizer vocabulary;
    private final boolean requireRecent;

    /** A codec over a domain vocabulary. */
    public DomainPromptCodec(DomainTokenizer vocabulary) {
        this(vocabulary, true);
    }

    private DomainPromptCodec(DomainTokenizer vocabulary, boolean requireRecent) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.requireRecent = requireRecent;
    }

    /**
     * A codec whose prompts may have no recent category: the "w/o Short" ablation, where the model
     * sees the group only.
     */
    public static DomainPromptCodec withoutShortTerm(DomainTokenizer vocabulary) {
        return new DomainPromptCodec(vocabulary, false);
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException for {@link PromptKind#PROFILE}
     * @throws IllegalArgumentException naming the field and category when a category is not in the
     *     vocabulary, or the CSID does not fit it
     */
    @Override
    public int[] prompt(PromptKind kind, PromptFields fields) {
        Objects.requireNonNull(fields, "fields");
        Special marker =
                switch (Objects.requireNonNull(kind, "kind")) {
                    case NOVELTY -> Special.NOVELTY;
                    case RELEVANCE -> Special.RELEVANCE;
                    case PROFILE ->
                            throw new UnsupportedOperationException(
                                    "the embedded model does not write group profiles: its"
                                            + " prompts carry the group's dominant categories"
                                            + " (profile_categories) instead");
                };
        if (requireRecent) {
            PromptField.RECENT_CATEGORIES.require(fields, kind);
        }
        if (kind == PromptKind.RELEVANCE) {
            PromptField.CANDIDATE.require(fields, kind);
        }
        IntStream.Builder ids = IntStream.builder();
        ids.add(Special.BOS.id());
        ids.add(marker.id());
        fields.csid().ifPresent(csid -> Arrays.stream(vocabulary.csidTokens(csid)).forEach(ids));
        ids.add(Special.PROFILE.id());
        addCategories(ids, fields.profileCategories(), PromptField.PROFILE_CATEGORIES);
        ids.add(Special.RECENT.id());
        addCategories(ids, fields.recentCategories(), PromptField.RECENT_CATEGORIES);
        ids.add(Special.SEP.id());
        if (kind == PromptKind.RELEVANCE) {
            ids.add(Special.CANDIDATE.id());
            ids.add(category(fields.candidate().orElseThrow(), PromptField.CANDIDATE));
        }
        return ids.build().toArray();
    }

    /**
     * The category's token, then {@code <eos>}.
     *
     * @throws IllegalArgumentException naming the category when it is not in the vocabulary
     */
    @Override
    public int[] answer(String category) {
        return new int[] {vocabulary.categoryToken(category), Special.EOS.id()};
    }

    @Override
    public int eosId() {
        return Special.EOS.id();
    }

    @Override
    public int padId() {
        return Special.PAD.id();
    }

    /** The vocabulary the prompts are written in. */
    public DomainTokenizer vocabulary() {
        return vocabulary;
    }

    private void addCategories(IntStream.Builder ids, List<String> categories, PromptField field) {
        for (String c : categories) {
            ids.add(category(c, field));
        }
    }

    private int category(String name, PromptField field) {
        try {
            return vocabulary.categoryToken(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "prompt field '" + field.placeholder() + "': " + e.getMessage(), e);
        }
    }
}
