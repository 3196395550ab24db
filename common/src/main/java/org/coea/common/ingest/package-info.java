/**
 * Engine-free parsing of ingest inputs (MovieLens files, generic click logs, the clicks topic):
 * each record parses to a value or to a reject reason, never to an exception.
 */
package org.coea.common.ingest;
