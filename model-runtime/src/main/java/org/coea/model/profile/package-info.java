/**
 * The Profile language model (METHOD.md: an instruction model used without fine-tuning): renders
 * the PROFILE prompt from a group's representative histories within a token budget ({@link
 * org.coea.model.profile.ProfilePrompts}) and writes each group's short textual profile by greedy
 * decoding with a HuggingFace Qwen2 checkpoint ({@link org.coea.model.profile.ProfileWriter}).
 */
package org.coea.model.profile;
