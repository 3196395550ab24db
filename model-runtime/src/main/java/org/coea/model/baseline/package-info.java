/**
 * The trained exploitation baselines of the evaluation (docs/evaluation.md): {@link
 * org.coea.model.baseline.Gru4Rec} (a GRU next-item model) and {@link
 * org.coea.model.baseline.TwoTower} (a dual encoder trained with in-batch negatives). Both read a
 * user's item sequence (ids {@code 1..numItems}, oldest first) and give a user vector u and an item
 * table V such that {@code <u, V[i]>} is the next-item logit, the form the evaluation turns into
 * category lists.
 */
package org.coea.model.baseline;
