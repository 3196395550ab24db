/**
 * Typed, documented configuration: options are constants with a key, type, default and description,
 * resolved in one place with the precedence command line, then config file, then defaults.
 */
package org.coea.common.config;
