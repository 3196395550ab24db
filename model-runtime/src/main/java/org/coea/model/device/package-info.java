/** Chooses the DJL device and floating-point type a model runs on from one typed setting. */
package org.coea.model.device;
