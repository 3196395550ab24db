/** Engine-free core of the CoEA platform: domain types, configuration, parsing and data rules. */
package org.coea.common;
