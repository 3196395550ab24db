/**
 * The embedded stores on RocksDB: one DB directory with the column families {@code meta} (pointers
 * and the default CSID), {@code novelty} (rows prefixed by the 8-byte cycle version) and {@code
 * users}.
 */
package org.coea.stores.rocksdb;
