package org.coea.model.rqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.coea.model.nd.GradMode;
import org.coea.model.nd.Scalars;
import org.coea.model.train.Seeds;

/**
 * The residual quantizer of the RQ-VAE (METHOD.md Eq. 2 / 6): {@code L} codebooks {@code e^l} of
 * shape {@code [K, D]} quantize a latent batch {@code z [B, D]} level by level.
 *
 * <p>With {@code r_0 = z}, level {@code l} picks {@code c_l = argmin_k ||r_{l-1} - e^l_k||^2} (ties
 * to the lower code) and passes on {@code r_l = r_{l-1} - sg[e^l_{c_l}]}; the quantized latent is
 * {@code z_hat = sum_l e^l_{c_l}} and the decoder reads the straight-through value {@code z +
 * sg[z_hat - z]}, so the reconstruction gradient reaches the encoder unchanged. The loss is Eq. 2,
 * each squared norm summed over {@code D} and averaged over the batch:
 *
 * <pre>
 * sum_l ( ||sg[r_{l-1}] - e^l_{c_l}||^2 + beta ||r_{l-1} - sg[e^l_{c_l}]||^2 )
 * </pre>
 *
 * The first term moves only the chosen codewords, the second (commitment) only the encoder. Because
 * the residual passed on stops the gradient at the codeword, a codebook learns from its own level's
 * term only.
 *
 * <p>The codebooks start as placeholders; {@link #initialise} sets each level by k-means on that
 * level's residuals (the trainer does so on its first batch), and the trainer re-seeds dead codes
 * (see {@link RqVaeTrainer}).
 */
public final class ResidualQuantizer {
    private final List<NDArray> codebooks;
    private final double beta;
    private boolean initialised;

    /**
     * @param codebooks one {@code [K, D]} float32 array per level, the same K and D for all
     * @param beta the commitment weight
     */
    ResidualQuantizer(List<NDArray> codebooks, double beta, boolean initialised) {
        if (codebooks.isEmpty()) {
            throw new IllegalArgumentException("a residual quantizer needs at least one level");
        }
        Shape shape = codebooks.get(0).getShape();
        for (NDArray c : codebooks) {
            if (c.getShape().dimension() != 2 || !c.getShape().equals(shape)) {
                throw new IllegalArgumentException(
                        "codebooks must all be [K, D] of one shape, got " + c.getShape());
            }
        }
        this.codebooks = List.copyOf(codebooks);
        this.beta = beta;
        this.initialised = initialised;
    }

    /**
     * The result of quantizing a batch.
     *
     * @param codes {@code [B, L]} int64, level 1 first
     * @param quantized {@code z_hat = sum_l e^l_{c_l}} {@code [B, D]} (gradients reach the
     *     codebooks)
     * @param straightThrough {@code z + sg[z_hat - z]} {@code [B, D]}, the decoder's input
     * @param loss the Eq. 2 quantizer loss, a scalar
     * @param levelLosses each level's term of that loss, scalars
     */
    public record Quantized(
            NDArray codes,
            NDArray quantized,
            NDArray straightThrough,
            NDArray loss,
            List<NDArray> levelLosses) {}

    /** Number of levels L. */
    public int levels() {
        return codebooks.size();
    }

    /** Codes per level K. */
    public int codebookSize() {
        return (int) codebooks.get(0).getShape().get(0);
    }

    /** Codeword width D. */
    public int dimension() {
        return (int) codebooks.get(0).getShape().get(1);
    }

    /** The commitment weight. */
    public double beta() {
        return beta;
    }

    /** The codebook of a level (0-based) {@code [K, D]}: the parameter itself. */
    public NDArray codebook(int level) {
        return codebooks.get(level);
    }

    /** A copy of a level's codewords {@code [K][D]}. */
    public float[][] codebookValues(int level) {
        float[] flat = codebooks.get(level).toFloatArray();
        int k = codebookSize();
        int d = dimension();
        float[][] out = new float[k][d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** Whether the codebooks were initialised (by k-means, or loaded from trained weights). */
    public boolean initialised() {
        return initialised;
    }

    /**
     * Quantizes {@code z [B, D]} through all levels, with the losses of Eq. 2. Intermediate arrays
     * belong to {@code z}'s manager.
     */
    public Quantized quantize(NDArray z) {
        requireLatent(z);
        NDManager scope = z.getManager();
        NDArray r = z;
        NDArray zHat = null;
        NDArray loss = null;
        List<NDArray> levelLosses = new ArrayList<>();
        NDList codes = new NDList();
        for (NDArray codebook : codebooks) {
            NDArray c = nearest(scope, r.stopGradient(), codebook);
            codes.add(c);
            NDArray chosen = oneHot(c).matMul(codebook);
            NDArray chosenFixed = chosen.stopGradient();
            NDArray codebookTerm = squaredNorms(r.stopGradient().sub(chosen)).mean();
            NDArray commitment = squaredNorms(r.sub(chosenFixed)).mean();
            NDArray levelLoss = codebookTerm.add(Scalars.mul(commitment, beta));
            levelLosses.add(levelLoss);
            loss = loss == null ? levelLoss : loss.add(levelLoss);
            zHat = zHat == null ? chosen : zHat.add(chosen);
            r = r.sub(chosenFixed);
        }
        NDArray straightThrough = z.add(zHat.sub(z).stopGradient());
        return new Quantized(
                NDArrays.stack(codes, 1), zHat, straightThrough, loss, List.copyOf(levelLosses));
    }

    /** The codes {@code [B, L]} int64 of {@code z [B, D]}, without gradients. */
    public NDArray codes(NDArray z) {
        requireLatent(z);
        NDManager scope = z.getManager();
        NDArray r = z.stopGradient();
        NDList codes = new NDList();
        for (NDArray codebook : codebooks) {
            NDArray c = nearest(scope, r, codebook);
            codes.add(c);
            r = r.sub(oneHot(c).matMul(MlpBlock.owned(scope, codebook.stopGradient())));
        }
        return NDArrays.stack(codes, 1);
    }

    /**
     * The quantized latent {@code sum_{l < levels} e^l_{c_l}} {@code [B, D]} of codes {@code [B,
     * L']} (L' >= levels), from the first {@code levels} levels only; arrays belong to {@code
     * codes}'s manager.
     */
    public NDArray lookup(NDArray codes, int levels) {
        if (levels < 1 || levels > levels() || codes.getShape().get(1) < levels) {
            throw new IllegalArgumentException(
                    "cannot look up " + levels + " levels of codes " + codes.getShape());
        }
        NDArray ids =
                codes.getDataType() == DataType.INT64 ? codes : codes.toType(DataType.INT64, false);
        NDArray sum = null;
        for (int l = 0; l < levels; l++) {
            NDArray c = ids.get(new NDIndex(":, {}", l));
            if (c.size() > 0 && (c.min().getLong() < 0 || c.max().getLong() >= codebookSize())) {
                throw new IllegalArgumentException(
                        "codes of level " + l + " outside 0.." + (codebookSize() - 1));
            }
            NDArray chosen = oneHot(c).matMul(codebooks.get(l));
            sum = sum == null ? chosen : sum.add(chosen);
        }
        return sum;
    }

    /**
     * Initialises every level by k-means on its residuals: level 1 on {@code latents}, level {@code
     * l} on the residuals {@code r_{l-1}} left by the already initialised levels before it (see
     * {@link KMeans}); the codewords replace the current values in place.
     *
     * @param latents encoder outputs {@code [n][D]}, at least one
     * @param seed seeds each level's k-means (level {@code l} uses {@code Seeds.derive(seed, l)})
     * @param maxIterations the most Lloyd iterations per level
     */
    public void initialise(float[][] latents, long seed, int maxIterations) {
        float[][] r = copyRows(latents);
        for (int l = 0; l < levels(); l++) {
            KMeans.Result result =
                    KMeans.fit(
                            r, codebookSize(), Seeds.random(Seeds.derive(seed, l)), maxIterations);
            setCodebook(l, result.centroids());
            subtractChosen(r, result.centroids());
        }
        initialised = true;
    }

    /**
     * Re-seeds the given dead codes from the residuals of {@code latents}, level by level: at level
     * {@code l} the dead codes take, in order, the residuals {@code r_{l-1}} of the examples in a
     * random order drawn from {@code random} (distinct examples while there are enough), and the
     * residuals passed on to level {@code l + 1} are computed with the re-seeded codebook.
     *
     * @param latents encoder outputs of the current batch {@code [n][D]}
     * @param dead per level, the codes to re-seed
     * @return the number of codes re-seeded
     */
    int reseed(float[][] latents, int[][] dead, Random random) {
        float[][] r = copyRows(latents);
        int count = 0;
        for (int l = 0; l < levels(); l++) {
            float[][] book = codebookValues(l);
            if (dead[l].length > 0) {
                int[] order = permutation(r.length, random);
                for (int j = 0; j < dead[l].length; j++) {
                    book[dead[l][j]] = r[order[j % r.length]].clone();
                }
                setCodebook(l, book);
                count += dead[l].length;
            }
            subtractChosen(r, book);
        }
        return count;
    }

    /** Replaces a level's codewords in place, with autograd off. */
    void setCodebook(int level, float[][] values) {
        NDArray codebook = codebooks.get(level);
        int k = codebookSize();
        int d = dimension();
        if (values.length != k) {
            throw new IllegalArgumentException(values.length + " codewords for a codebook of " + k);
        }
        float[] flat = new float[k * d];
        for (int i = 0; i < k; i++) {
            if (values[i].length != d) {
                throw new IllegalArgumentException("codeword of width " + values[i].length);
            }
            System.arraycopy(values[i], 0, flat, i * d, d);
        }
        GradMode.off(
                () -> {
                    try (NDManager scope = codebook.getManager().newSubManager()) {
                        codebook.set(new NDIndex("..."), scope.create(flat, new Shape(k, d)));
                    }
                    return null;
                });
    }

    void markInitialised() {
        initialised = true;
    }

    private void requireLatent(NDArray z) {
        if (z.getShape().dimension() != 2 || z.getShape().get(1) != dimension()) {
            throw new IllegalArgumentException(
                    "expected latents [B, " + dimension() + "], got " + z.getShape());
        }
    }

    /**
     * argmin_k ||r - e_k||^2 {@code [B]} int64, from the explicit differences (no cancellation).
     */
    private static NDArray nearest(NDManager scope, NDArray r, NDArray codebook) {
        NDArray e = MlpBlock.owned(scope, codebook.stopGradient());
        NDArray e3 = MlpBlock.owned(scope, e.expandDims(0));
        NDArray distances = r.expandDims(1).sub(e3).square().sum(new int[] {2});
        return distances.argMin(1);
    }

    private NDArray oneHot(NDArray codes) {
        return codes.oneHot(codebookSize(), DataType.FLOAT32);
    }

    private static NDArray squaredNorms(NDArray x) {
        return x.square().sum(new int[] {1});
    }

    private static void subtractChosen(float[][] r, float[][] book) {
        for (float[] row : r) {
            float[] e = book[KMeans.nearest(row, book)];
            for (int d = 0; d < row.length; d++) {
                row[d] -= e[d];
            }
        }
    }

    private static float[][] copyRows(float[][] rows) {
        Objects.requireNonNull(rows, "latents");
        if (rows.length == 0) {
            throw new IllegalArgumentException("no latents");
        }
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    private static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
