/**
 * The embedded streaming launcher behind {@code coea stream} (test classpath: it starts a broker).
 */
package org.coea.flink.embedded;
