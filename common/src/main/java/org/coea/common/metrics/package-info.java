/** Per-stage run figures written to {@code <warehouse>/_metrics/<stage>.json}. */
package org.coea.common.metrics;
