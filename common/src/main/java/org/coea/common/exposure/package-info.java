/** Exposure metrics computed from exposure logs, such as 7D-NIEP. */
package org.coea.common.exposure;
