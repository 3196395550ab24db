package org.coea.model.profile;

/**
 * A rendered Profile prompt.
 *
 * @param text the ChatML text, ending with the assistant generation prompt
 * @param ids its token ids, at most the budget of the {@link ProfilePrompts} that made it
 * @param keptItems the history items the prompt holds
 * @param totalItems the history items the group had
 */
public record ProfilePrompt(String text, int[] ids, int keptItems, int totalItems) {
    /** Whether items were left out to fit the token budget. */
    public boolean truncated() {
        return keptItems < totalItems;
    }
}
