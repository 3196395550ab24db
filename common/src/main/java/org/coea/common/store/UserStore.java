package org.coea.common.store;

import java.util.Map;
import java.util.Optional;
import org.coea.common.model.GroupCsid;

/**
 * User id to CSID and current short-term category set, written by the batch jobs ({@link #putAll})
 * and by the streaming job ({@link #put}); also holds the default CSID for unknown users.
 *
 * <p>User ids are 1..{@value UserIds#MAX_LENGTH} characters without control characters.
 */
public interface UserStore extends AutoCloseable {

    /** Stores (replaces) the state of one user. */
    void put(String userId, UserState state);

    /** Stores many users in batches. */
    void putAll(Map<String, UserState> states);

    /** The state of a user; empty when unknown. */
    Optional<UserState> get(String userId);

    /** Sets the CSID that cold-start users are served from. */
    void putDefaultCsid(GroupCsid csid);

    /** The default CSID; empty when none was set. */
    Optional<GroupCsid> defaultCsid();

    @Override
    void close();
}
