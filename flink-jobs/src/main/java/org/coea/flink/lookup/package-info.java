/** The online novelty lookup: requests to novel categories through the stores. */
package org.coea.flink.lookup;
