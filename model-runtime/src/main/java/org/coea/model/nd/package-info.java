/**
 * Tensor helpers that keep DJL training code clear of engine traps, such as gradient-safe scalars.
 */
package org.coea.model.nd;
