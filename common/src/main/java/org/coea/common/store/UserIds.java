package org.coea.common.store;

/** Validation of user ids as store keys. */
public final class UserIds {
    /** Longest user id. */
    public static final int MAX_LENGTH = 256;

    private UserIds() {}

    /**
     * Returns the id when it is a valid store key.
     *
     * @throws IllegalArgumentException naming the id when it is empty, too long or has control
     *     characters
     */
    public static String check(String userId) {
        if (userId == null
                || userId.isEmpty()
                || userId.length() > MAX_LENGTH
                || userId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                    "invalid user id '"
                            + userId
                            + "' (1.."
                            + MAX_LENGTH
                            + " characters, no control characters)");
        }
        return userId;
    }
}
