/** The exposure novelty job: 7D-NIEP per day from the exposure stream. */
package org.coea.flink.exposure;
