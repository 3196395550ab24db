/**
 * The production stores on HBase through the shaded client: a novelty table (row = the composite
 * key, one column per cycle slot, a pointer row naming the current slot) and a user table.
 */
package org.coea.stores.hbase;
