/** Group profiles: the statistical profiler used when no Profile language model is configured. */
package org.coea.common.profile;
