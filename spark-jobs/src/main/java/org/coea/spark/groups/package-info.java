/**
 * The groups stage (Eq. 2, 6, 7) and the profiles stage: RQ-VAE group CSIDs, representatives, group
 * profiles.
 */
package org.coea.spark.groups;
