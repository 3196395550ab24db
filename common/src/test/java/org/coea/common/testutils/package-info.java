/** Shared seeded fixtures for tests of every module. */
package org.coea.common.testutils;
