/** A seeded synthetic click-log generator shaped like the paper's industrial dataset. */
package org.coea.common.synthetic;
