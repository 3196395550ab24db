package org.coea.model.prompt;

import java.util.List;

/** The fields a template can name, with their placeholder names and how they read as text. */
enum PromptField {
    CSID("csid"),
    PROFILE("profile"),
    PROFILE_CATEGORIES("profile_categories"),
    RECENT_CATEGORIES("recent_categories"),
    CANDIDATE("candidate"),
    HISTORIES("histories");

    private final String placeholder;

    PromptField(String placeholder) {
        this.placeholder = placeholder;
    }

    /** The name inside {@code {{...}}}, also the name errors use. */
    String placeholder() {
        return placeholder;
    }

    /** The field with this placeholder name, or null. */
    static PromptField of(String placeholder) {
        for (PromptField f : values()) {
            if (f.placeholder.equals(placeholder)) {
                return f;
            }
        }
        return null;
    }

    boolean presentIn(PromptFields fields) {
        return switch (this) {
            case CSID -> fields.csid().isPresent();
            case PROFILE -> fields.profile().isPresent();
            case PROFILE_CATEGORIES -> !fields.profileCategories().isEmpty();
            case RECENT_CATEGORIES -> !fields.recentCategories().isEmpty();
            case CANDIDATE -> fields.candidate().isPresent();
            case HISTORIES -> !fields.histories().isEmpty();
        };
    }

    /**
     * The field as prompt text: the CSID in its fixed-width form, category lists joined by {@code
     * ", "}, one line per history ({@code "User 1: item; item"}).
     *
     * @throws MissingPromptFieldException when the field is absent
     */
    String text(PromptFields fields, PromptKind kind) {
        require(fields, kind);
        return switch (this) {
            case CSID -> fields.csid().orElseThrow().toString();
            case PROFILE -> fields.profile().orElseThrow().strip();
            case PROFILE_CATEGORIES -> String.join(", ", fields.profileCategories());
            case RECENT_CATEGORIES -> String.join(", ", fields.recentCategories());
            case CANDIDATE -> fields.candidate().orElseThrow();
            case HISTORIES -> histories(fields.histories());
        };
    }

    /**
     * @throws MissingPromptFieldException when the field is absent
     */
    void require(PromptFields fields, PromptKind kind) {
        if (!presentIn(fields)) {
            throw new MissingPromptFieldException(placeholder, kind, "");
        }
    }

    private static String histories(List<List<String>> histories) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < histories.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            List<String> items = histories.get(i);
            sb.append("User ")
                    .append(i + 1)
                    .append(": ")
                    .append(items.isEmpty() ? "(no items)" : String.join("; ", items));
        }
        return sb.toString();
    }
}
