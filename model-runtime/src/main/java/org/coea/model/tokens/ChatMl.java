package org.coea.model.tokens;

import java.util.List;
import java.util.Objects;

/**
 * Renders chat messages in the ChatML format that Qwen instruction models were trained on, since
 * DJL's tokenizer has no chat templates.
 *
 * <p>Each message reads {@code <|im_start|>{role}\n{content}<|im_end|>\n}; with a generation
 * prompt, {@code <|im_start|>assistant\n} follows, after which the model writes its answer and ends
 * it with {@code <|im_end|>}. There is no BOS token. Contents may not contain the two ChatML
 * markers, so that text taken from data (profiles, titles, category names) cannot open or close a
 * message of its own.
 */
public final class ChatMl {
    /** Opens a message. */
    public static final String IM_START = "<|im_start|>";

    /** Closes a message; the end-of-sequence token of Qwen instruction models. */
    public static final String IM_END = "<|im_end|>";

    /** Ends a document; Qwen's padding token. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private ChatMl() {}

    /**
     * One chat message.
     *
     * @param role who speaks: {@code system}, {@code user} or {@code assistant}
     * @param content what is said
     */
    public record Message(String role, String content) {
        /** Validates the fields. */
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
            if (role.isBlank() || !role.equals(role.strip()) || role.contains("\n")) {
                throw new IllegalArgumentException(
                        "ChatML role must be a non-blank word without surrounding spaces or"
                                + " newlines: '"
                                + role
                                + "'");
            }
            rejectMarkers(role, role);
            rejectMarkers(role, content);
        }
    }

    /** A system message. */
    public static Message system(String content) {
        return new Message("system", content);
    }

    /** A user message. */
    public static Message user(String content) {
        return new Message("user", content);
    }

    /** An assistant message. */
    public static Message assistant(String content) {
        return new Message("assistant", content);
    }

    /**
     * Renders messages in order.
     *
     * @param addGenerationPrompt whether to open an assistant message for the model to complete
     */
    public static String render(List<Message> messages, boolean addGenerationPrompt) {
        Objects.requireNonNull(messages, "messages");
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            sb.append(IM_START)
                    .append(m.role())
                    .append('\n')
                    .append(m.content())
                    .append(IM_END)
                    .append('\n');
        }
        if (addGenerationPrompt) {
            sb.append(IM_START).append("assistant\n");
        }
        return sb.toString();
    }

    private static void rejectMarkers(String role, String text) {
        int at = -1;
        String marker = null;
        for (String m : new String[] {IM_START, IM_END, END_OF_TEXT}) {
            int i = text.indexOf(m);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                marker = m;
            }
        }
        if (marker != null) {
            throw new IllegalArgumentException(
                    "ChatML "
                            + role
                            + " message contains the special token "
                            + marker
                            + ", which would break the message structure: ..."
                            + text.substring(
                                    Math.max(0, at - 40),
                                    Math.min(text.length(), at + marker.length() + 40))
                            + "...");
        }
    }
}
