package org.coea.model.profile;

/**
 * A profile the Profile model wrote for one group.
 *
 * @param text the profile: the generated text up to the first stop token, ChatML markers removed,
 *     surrounding whitespace stripped; may be blank when the model stopped at once
 * @param prompt the prompt the model read
 * @param generatedTokens the tokens the model generated, stop token included
 */
public record WrittenProfile(String text, ProfilePrompt prompt, int generatedTokens) {}
