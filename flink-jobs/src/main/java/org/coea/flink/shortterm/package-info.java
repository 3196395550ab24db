/** The short-term interest job: clicks to each user's short-term category set. */
package org.coea.flink.shortterm;
