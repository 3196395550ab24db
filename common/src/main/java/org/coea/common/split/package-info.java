/** Time-based train/validation/test rules and category statistics over the training split. */
package org.coea.common.split;
