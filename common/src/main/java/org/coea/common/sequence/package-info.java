/**
 * Per-user sequences of DSIE: the filtered long-term sequence (Eq. 3) and the short-term category
 * set.
 */
package org.coea.common.sequence;
