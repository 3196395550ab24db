/** Shared fixtures of the store tests: the contract suites and seeded data. */
package org.coea.stores.testutils;
