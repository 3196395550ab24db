package org.coea.model.csa;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.coea.model.nd.Layers;
import org.coea.model.nd.Scalars;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.safetensors.SafetensorsWriter;

/**
 * The causal self-attention (CSA) user encoder of DSIE, SASRec-style: it reads a user's sparse
 * features and recent items and produces the long-term interest vector h_u.
 *
 * <p>Input: {@code Z^0 = [e_x, E[i_1], ..., E[i_T]] + P}, where {@code E [numItems + 1, d]} is the
 * item embedding (Eq. 4; row 0 is padding), {@code e_x} the mean of the embeddings of the user's
 * present feature values (ids {@code > 0}) and {@code P [L + 1, d]} learned positions. The feature
 * token always has position 0; items are right-aligned, so the last item has position L whatever
 * the padding. Then N_l pre-norm SASRec blocks (causal multi-head self-attention, Eq. 1 / 5, with
 * padded keys masked; ReLU feed-forward; residuals) and a final layer norm. Padding positions are
 * zeroed after the embedding, after every block and at the output, and are never attended to, so
 * they influence nothing. {@code h_u} is the output at the last position (Eq. 5).
 *
 * <p>The encoder owns an {@link NDManager} holding its weights and closes it in {@link #close()}.
 * Forward passes put every array they make on the manager of their inputs; make the inputs on a
 * sub-manager of {@link #manager()} (the weights' device) and close it when done. Weights are
 * float32.
 */
public final class CsaEncoder implements AutoCloseable {
    /** The weights file of a saved encoder. */
    public static final String WEIGHTS_FILE = "model.safetensors";

    /** The config file of a saved encoder. */
    public static final String CONFIG_FILE = "csa-config.json";

    static final String ITEM_EMBEDDING = "item_embedding.weight";
    static final String FEATURE_EMBEDDING = "feature_embedding.weight";
    static final String POSITION_EMBEDDING = "position_embedding.weight";
    static final String FINAL_NORM = "final_norm";

    /** Added to scores a query must not see; exp() of it is exactly 0 in fp32. */
    private static final double MASKED = -1e9;

    private final CsaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final NDArray itemEmbedding;
    private final NDArray featureEmbedding;
    private final NDArray positionEmbedding;
    private final List<SasRecBlock> blocks;
    private final LayerNormBlock finalNorm;

    private CsaEncoder(CsaConfig config, NDManager manager, Map<String, NDArray> weights) {
        this.config = config;
        this.manager = manager;
        int d = config.hidden();
        this.itemEmbedding = take(weights, ITEM_EMBEDDING, config.numItems() + 1L, d);
        this.featureEmbedding = take(weights, FEATURE_EMBEDDING, config.numFeatureValues() + 1L, d);
        this.positionEmbedding = take(weights, POSITION_EMBEDDING, config.maxLength() + 1L, d);
        List<SasRecBlock> bs = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            String p = "blocks." + i + ".";
            LayerNormBlock attentionNorm = norm(weights, p + "attention_norm");
            CausalSelfAttentionBlock attention =
                    new CausalSelfAttentionBlock(
                            linear(weights, p + "attention.q"),
                            linear(weights, p + "attention.k"),
                            linear(weights, p + "attention.v"),
                            linear(weights, p + "attention.o"),
                            config.heads(),
                            config.dropout());
            LayerNormBlock ffnNorm = norm(weights, p + "ffn_norm");
            FeedForwardBlock ffn =
                    new FeedForwardBlock(
                            linear(weights, p + "ffn.up"),
                            linear(weights, p + "ffn.down"),
                            config.dropout());
            bs.add(new SasRecBlock(attentionNorm, attention, ffnNorm, ffn, config.dropout()));
        }
        this.blocks = Collections.unmodifiableList(bs);
        this.finalNorm = norm(weights, FINAL_NORM);
        if (!weights.isEmpty()) {
            throw new IllegalArgumentException("unexpected CSA weights: " + weights.keySet());
        }
    }

    /** A freshly initialised encoder on the default device (seeded by {@code config.seed()}). */
    public static CsaEncoder create(CsaConfig config) {
        return create(config, null);
    }

    /**
     * A freshly initialised encoder on {@code device} ({@code null}: the engine's default), with
     * the initialisation drawn in Java from {@code config.seed()}: Xavier-normal matrices and
     * embeddings (as SASRec), zero padding rows, zero biases, unit norm scales.
     */
    public static CsaEncoder create(CsaConfig config, Device device) {
        Objects.requireNonNull(config, "config");
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new CsaEncoder(config, manager, initialWeights(config, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads an encoder saved by {@link #save} onto the default device. */
    public static CsaEncoder load(Path dir) {
        return load(dir, null);
    }

    /**
     * Loads an encoder saved by {@link #save}: {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} in
     * {@code dir}, onto {@code device} ({@code null}: the engine's default).
     *
     * @throws IllegalArgumentException naming the directory and a missing, misshapen or unexpected
     *     weight
     */
    public static CsaEncoder load(Path dir, Device device) {
        CsaConfig config = CsaConfig.load(dir.resolve(CONFIG_FILE));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(WEIGHTS_FILE))) {
                for (String name : file.names()) {
                    weights.put(name, file.load(manager, name, DataType.FLOAT32));
                }
            }
            return new CsaEncoder(config, manager, weights);
        } catch (IOException e) {
            manager.close();
            throw new UncheckedIOException("cannot read the CSA weights in " + dir, e);
        } catch (RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves the encoder to {@code dir}: {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} (float32,
     * the names of {@link #parameters()}), each written atomically.
     */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter.writeArrays(
                    dir.resolve(WEIGHTS_FILE),
                    parameters,
                    SafetensorsDtype.F32,
                    Map.of("format", "pt", "model_type", CsaConfig.MODEL_TYPE));
            config.save(dir.resolve(CONFIG_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the CSA encoder to " + dir, e);
        }
    }

    /** The hyper-parameters. */
    public CsaConfig config() {
        return config;
    }

    /** The manager owning the weights; make input arrays on a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    /** The weights by name, in a fixed order (the trainable parameters and the saved tensors). */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The item embedding {@code E [numItems + 1, d]} (Eq. 4), shared by input and scoring. */
    public NDArray itemEmbedding() {
        return itemEmbedding;
    }

    /**
     * The hidden states of the last block after the final norm, {@code [B, T + 1, d]} float32:
     * position 0 is the feature token, position {@code t >= 1} the item in column {@code t - 1};
     * padding positions are 0.
     *
     * @param items int64 {@code [B, T]}, {@code 1 <= T <= maxLength}, item ids oldest first,
     *     left-padded with 0
     * @param features int64 {@code [B, numFeatureFields]}, feature value ids, 0 = absent
     * @throws IllegalArgumentException for a wrong shape or type, an id out of range, or a padding
     *     id after an item (right padding)
     */
    public NDArray encode(NDArray items, NDArray features) {
        validate(items, features);
        return forward(items, features, false);
    }

    /**
     * The user vectors h_u {@code [B, d]}: the output at the last position (the last column, given
     * left padding), or at the feature token for a row without items.
     */
    public NDArray userVector(NDArray items, NDArray features) {
        NDArray hidden = encode(items, features);
        NDArray hasItems =
                items.get(":, -1")
                        .gt(Scalars.like(items, 0))
                        .reshape(items.getShape().get(0), 1)
                        .broadcast(new Shape(items.getShape().get(0), config.hidden()));
        return NDArrays.where(hasItems, hidden.get(":, -1, :"), hidden.get(":, 0, :"));
    }

    /**
     * Scores of candidate items for each user, {@code <h_u, E[c]>}: {@code [B, C]} from user
     * vectors {@code [B, d]} and int64 candidates {@code [B, C]}.
     */
    public NDArray score(NDArray userVectors, NDArray candidates) {
        NDArray e = embed(candidates, itemEmbedding);
        return e.matMul(userVectors.expandDims(2)).squeeze(2);
    }

    /**
     * The user vectors of plain Java histories (each oldest first; only the last {@code maxLength}
     * items are read) and feature ids, as {@code [users][d]}. Users are encoded in batches of
     * {@value #BATCH} users of similar history length (padding costs quadratic attention work), and
     * returned in the order given.
     */
    public float[][] userVectors(List<int[]> histories, List<int[]> features) {
        if (histories.size() != features.size()) {
            throw new IllegalArgumentException(
                    histories.size() + " histories but " + features.size() + " feature rows");
        }
        int d = config.hidden();
        float[][] out = new float[histories.size()][];
        int[] order = byLength(histories, config.maxLength());
        for (int from = 0; from < order.length; from += BATCH) {
            int to = Math.min(order.length, from + BATCH);
            List<int[]> h = new ArrayList<>(to - from);
            List<int[]> x = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                h.add(histories.get(order[i]));
                x.add(features.get(order[i]));
            }
            try (NDManager m = manager.newSubManager()) {
                Batches.Packed p = Batches.pack(m, config, h, x);
                float[] flat = userVector(p.items(), p.features()).toFloatArray();
                for (int i = from; i < to; i++) {
                    int row = i - from;
                    out[order[i]] = Arrays.copyOfRange(flat, row * d, (row + 1) * d);
                }
            }
        }
        return out;
    }

    /** Users per inference batch of {@link #userVectors}. */
    public static final int BATCH = 256;

    /**
     * The indices of {@code histories} ordered by the length the encoder reads ({@code min(length,
     * maxLength)}), stable, so consecutive users pad to similar widths.
     */
    static int[] byLength(List<int[]> histories, int maxLength) {
        return java.util.stream.IntStream.range(0, histories.size())
                .boxed()
                .sorted(
                        java.util.Comparator.comparingInt(
                                i -> Math.min(histories.get(i).length, maxLength)))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** The forward pass, with dropout when {@code training}; inputs are not validated. */
    NDArray forward(NDArray items, NDArray features, boolean training) {
        NDManager m = items.getManager();
        long b = items.getShape().get(0);
        int t = Math.toIntExact(items.getShape().get(1));
        int d = config.hidden();

        NDArray present = features.gt(Scalars.like(features, 0)).toType(DataType.FLOAT32, false);
        NDArray featureSum =
                embed(features, featureEmbedding).mul(present.expandDims(2)).sum(new int[] {1});
        NDArray count = present.sum(new int[] {1}, true);
        NDArray featureToken = featureSum.div(count.maximum(Scalars.like(count, 1.0)));

        long[] positions = new long[t + 1];
        for (int j = 1; j <= t; j++) {
            positions[j] = config.maxLength() - t + j;
        }
        NDArray z =
                featureToken
                        .expandDims(1)
                        .concat(embed(items, itemEmbedding), 1)
                        .add(embed(m.create(positions), positionEmbedding));

        NDArray real =
                m.ones(new Shape(b, 1), DataType.BOOLEAN)
                        .concat(items.gt(Scalars.like(items, 0)), 1);
        NDArray keep = real.toType(DataType.FLOAT32, false).expandDims(2);
        NDArray mask = additiveMask(m, real, t + 1);

        z = dropout(z, config.dropout(), training).mul(keep);
        for (SasRecBlock block : blocks) {
            z = block.forward(z, mask, keep, training);
        }
        return finalNorm.forward(z).mul(keep);
    }

    /** {@code [B, 1, S, S]}: 0 where key j <= query i and j is real, {@link #MASKED} elsewhere. */
    private static NDArray additiveMask(NDManager m, NDArray real, long s) {
        NDArray index = m.arange(0, (int) s).toType(DataType.INT64, false);
        NDArray causal = index.reshape(1, s).lte(index.reshape(s, 1)).reshape(1, 1, s, s);
        NDArray keys = real.reshape(real.getShape().get(0), 1, 1, s);
        NDArray visible = causal.logicalAnd(keys).toType(DataType.FLOAT32, false);
        return Scalars.mul(Scalars.sub(visible, 1.0), -MASKED);
    }

    /** Rows of {@code table} for int64 {@code ids}; the result belongs to the ids' manager. */
    static NDArray embed(NDArray ids, NDArray table) {
        return Layers.embed(ids, table);
    }

    /** Inverted dropout while training; the identity otherwise or at rate 0. */
    static NDArray dropout(NDArray x, double rate, boolean training) {
        return Layers.dropout(x, rate, training);
    }

    private void validate(NDArray items, NDArray features) {
        Shape is = items.getShape();
        Shape fs = features.getShape();
        if (items.getDataType() != DataType.INT64 || features.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException(
                    "items and features must be int64, got "
                            + items.getDataType()
                            + " and "
                            + features.getDataType());
        }
        if (is.dimension() != 2 || is.get(1) < 1 || is.get(1) > config.maxLength()) {
            throw new IllegalArgumentException(
                    "items must be [B, T] with 1 <= T <= " + config.maxLength() + ", got " + is);
        }
        if (fs.dimension() != 2
                || fs.get(0) != is.get(0)
                || fs.get(1) != config.numFeatureFields()) {
            throw new IllegalArgumentException(
                    "features must be ["
                            + is.get(0)
                            + ", "
                            + config.numFeatureFields()
                            + "], got "
                            + fs);
        }
        long[] ids = items.toLongArray();
        int t = (int) is.get(1);
        for (int row = 0; row < is.get(0); row++) {
            boolean seen = false;
            for (int j = 0; j < t; j++) {
                long id = ids[row * t + j];
                if (id < 0 || id > config.numItems()) {
                    throw new IllegalArgumentException(
                            "item id " + id + " outside 0.." + config.numItems());
                }
                if (id == 0 && seen) {
                    throw new IllegalArgumentException(
                            "row " + row + " has padding after an item: pad on the left");
                }
                seen |= id != 0;
            }
        }
        for (long id : features.toLongArray()) {
            if (id < 0 || id > config.numFeatureValues()) {
                throw new IllegalArgumentException(
                        "feature id " + id + " outside 0.." + config.numFeatureValues());
            }
        }
    }

    private NDArray take(Map<String, NDArray> weights, String name, long... shape) {
        NDArray a = weights.remove(name);
        if (a == null) {
            throw new IllegalArgumentException("missing CSA weight " + name);
        }
        if (!a.getShape().equals(new Shape(shape)) || a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "CSA weight "
                            + name
                            + " is "
                            + a.getDataType()
                            + " "
                            + a.getShape()
                            + ", expected float32 "
                            + new Shape(shape));
        }
        a.attach(manager);
        parameters.put(name, a);
        return a;
    }

    private Linear linear(Map<String, NDArray> weights, String module) {
        int d = config.hidden();
        return new Linear(
                take(weights, module + ".weight", d, d), take(weights, module + ".bias", d));
    }

    private LayerNormBlock norm(Map<String, NDArray> weights, String module) {
        int d = config.hidden();
        return new LayerNormBlock(
                take(weights, module + ".weight", d), take(weights, module + ".bias", d));
    }

    /** The initial weights, in the order the constructor takes them. */
    static Map<String, NDArray> initialWeights(CsaConfig config, NDManager manager) {
        SplittableRandom random = new SplittableRandom(config.seed());
        int d = config.hidden();
        Map<String, NDArray> w = new LinkedHashMap<>();
        w.put(ITEM_EMBEDDING, xavier(manager, random, config.numItems() + 1, d, true));
        w.put(FEATURE_EMBEDDING, xavier(manager, random, config.numFeatureValues() + 1, d, true));
        w.put(POSITION_EMBEDDING, xavier(manager, random, config.maxLength() + 1, d, false));
        for (int i = 0; i < config.layers(); i++) {
            String p = "blocks." + i + ".";
            putNorm(w, manager, p + "attention_norm", d);
            for (String proj : new String[] {"q", "k", "v", "o"}) {
                w.put(p + "attention." + proj + ".weight", xavier(manager, random, d, d, false));
                w.put(p + "attention." + proj + ".bias", manager.zeros(new Shape(d)));
            }
            putNorm(w, manager, p + "ffn_norm", d);
            for (String proj : new String[] {"up", "down"}) {
                w.put(p + "ffn." + proj + ".weight", xavier(manager, random, d, d, false));
                w.put(p + "ffn." + proj + ".bias", manager.zeros(new Shape(d)));
            }
        }
        putNorm(w, manager, FINAL_NORM, d);
        return w;
    }

    private static void putNorm(Map<String, NDArray> w, NDManager manager, String module, int d) {
        w.put(module + ".weight", manager.ones(new Shape(d)));
        w.put(module + ".bias", manager.zeros(new Shape(d)));
    }

    /** Xavier-normal {@code [rows, cols]} ({@link Layers#xavierNormal}). */
    private static NDArray xavier(
            NDManager manager, SplittableRandom random, int rows, int cols, boolean zeroFirstRow) {
        return Layers.xavierNormal(manager, random, rows, cols, zeroFirstRow);
    }

    @Override
    public void close() {
        manager.close();
    }
}
