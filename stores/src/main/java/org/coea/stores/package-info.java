/** Implementations of the {@code org.coea.common.store} interfaces: RocksDB and HBase. */
package org.coea.stores;
