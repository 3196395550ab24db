/**
 * The {@code store} stage, which loads a cycle's novel categories and the users' CSIDs and
 * short-term sets into the serving stores, and the {@code lookup} command, which answers one user
 * from them.
 */
package org.coea.spark.store;
