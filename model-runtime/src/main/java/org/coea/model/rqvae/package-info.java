/**
 * The RQ-VAE of DSIE (METHOD.md Eq. 2 / 6) and the user groups made from it: {@link
 * org.coea.model.rqvae.RqVae} maps long-term interest vectors h_u to Collaborative Semantic IDs
 * (encoder MLP, {@link org.coea.model.rqvae.ResidualQuantizer}, decoder MLP), {@link
 * org.coea.model.rqvae.RqVaeTrainer} trains it on the shared training loop with k-means codebook
 * initialisation and dead-code re-seeding, and {@link org.coea.model.rqvae.GroupAssigner} brings
 * the distinct CSIDs to G groups with centroids, representatives (Eq. 7), a cold-start default and
 * quality figures.
 *
 * <p>Engine-free: inputs are {@code float[][]} vectors or DJL arrays; the group rules are plain
 * Java. Every scalar that meets a trainable array goes through {@link org.coea.model.nd.Scalars},
 * and no differentiable path casts ({@code toType} detaches from autograd).
 */
package org.coea.model.rqvae;
