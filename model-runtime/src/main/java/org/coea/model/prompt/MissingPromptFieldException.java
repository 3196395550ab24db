package org.coea.model.prompt;

/** Thrown when a prompt needs a field that its {@link PromptFields} do not have. */
public final class MissingPromptFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final PromptKind kind;

    MissingPromptFieldException(String field, PromptKind kind, String why) {
        super("the " + kind + " prompt needs the field '" + field + "', which is absent" + why);
        this.field = field;
        this.kind = kind;
    }

    /** The missing field, by its template placeholder name ({@code recent_categories}). */
    public String field() {
        return field;
    }

    /** The prompt that needed it. */
    public PromptKind kind() {
        return kind;
    }
}
