/** The order and pace in which a replayer feeds logged clicks to the streaming jobs. */
package org.coea.common.replay;
