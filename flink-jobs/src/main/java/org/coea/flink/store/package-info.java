/** The streaming jobs' access to the serving stores (user and novelty). */
package org.coea.flink.store;
