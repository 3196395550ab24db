/** Stable hashing used in store keys; identical in the batch and streaming jobs. */
package org.coea.common.hash;
