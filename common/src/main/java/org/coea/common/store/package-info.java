/**
 * The key-value stores that serve CoEA's output: the {@link org.coea.common.store.NoveltyStore}
 * (short-term key to ranked novel categories, rewritten per cycle), the {@link
 * org.coea.common.store.UserStore} (user to CSID and short-term set) and the {@link
 * org.coea.common.store.NoveltyRetriever} that answers a user with novel categories. The
 * implementations (RocksDB, HBase) live in the {@code stores} module.
 */
package org.coea.common.store;
