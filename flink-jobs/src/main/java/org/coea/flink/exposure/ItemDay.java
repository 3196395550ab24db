package org.coea.flink.exposure;

/**
 * One item's exposures on one day.
 *
 * @param day the UTC day number
 * @param exposures the item's exposures that day
 * @param isNew whether the item had no exposure on the previous seven days
 */
public record ItemDay(long day, long exposures, boolean isNew) {}
