/** The store benchmark ({@code bin/coea-bench-stores}). */
package org.coea.stores.bench;
