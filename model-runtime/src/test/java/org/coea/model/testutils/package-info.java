/** Shared model fixtures: tiny Qwen2 configs and weights, and an independent naive reference. */
package org.coea.model.testutils;
