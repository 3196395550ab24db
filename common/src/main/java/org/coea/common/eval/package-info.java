/**
 * The offline evaluation protocol's metrics (METHOD.md, Appendix A.4, and the serendipitous hits of
 * docs/evaluation.md): per-user figures of a ranked category list and their averages over users.
 */
package org.coea.common.eval;
