package org.coea.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.coea.model.csa.LengthBuckets;
import org.coea.model.nd.Scalars;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingLoop;

/**
 * The {@code GRU4Rec} baseline (Hidasi et al., 2016, with the cross-entropy loss of its later
 * versions): an item embedding {@code E [numItems + 1, d]} (row 0 padding), one GRU layer with
 * PyTorch's gate layout and weight names ({@code r, z, n}: {@code r = sigmoid(W_ir x + b_ir + W_hr
 * h + b_hr)}, {@code z} alike, {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}, {@code h' =
 * (1 - z) * n + z * h}) and the output tied to E: the next-item logits after position t are {@code
 * <h_t, E[i]>}. Padding (left) leaves the state at zero. The user vector is the state after the
 * last item.
 *
 * <p>Training ({@link #train}): every position of a user's last {@code maxLength + 1} items
 * predicts the next one, softmax cross-entropy over the whole catalogue (padding excluded),
 * averaged over the real positions of the batch; users of similar length share a batch.
 */
public final class Gru4Rec implements AutoCloseable {
    /** The config's model type. */
    public static final String MODEL_TYPE = "gru4rec";

    static final String ITEM_EMBEDDING = "item_embedding.weight";
    static final String WEIGHT_IH = "gru.weight_ih_l0";
    static final String WEIGHT_HH = "gru.weight_hh_l0";
    static final String BIAS_IH = "gru.bias_ih_l0";
    static final String BIAS_HH = "gru.bias_hh_l0";

    private final BaselineConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final NDArray embedding;
    private final NDArray weightIh;
    private final NDArray weightHh;
    private final NDArray biasIh;
    private final NDArray biasHh;

    private Gru4Rec(BaselineConfig config, NDManager manager, Map<String, NDArray> weights) {
        if (!MODEL_TYPE.equals(config.model())) {
            throw new IllegalArgumentException("not a GRU4Rec config: " + config.model());
        }
        this.config = config;
        this.manager = manager;
        long d = config.hidden();
        embedding = put(weights, ITEM_EMBEDDING, config.numItems() + 1L, d);
        weightIh = put(weights, WEIGHT_IH, 3 * d, d);
        weightHh = put(weights, WEIGHT_HH, 3 * d, d);
        biasIh = put(weights, BIAS_IH, 3 * d);
        biasHh = put(weights, BIAS_HH, 3 * d);
        if (!weights.isEmpty()) {
            throw new IllegalArgumentException("unexpected GRU4Rec weights: " + weights.keySet());
        }
    }

    /** A freshly initialised model (Xavier-normal matrices, zero biases), seeded by the config. */
    public static Gru4Rec create(BaselineConfig config) {
        NDManager manager = NDManager.newBaseManager();
        try {
            SplittableRandom random = new SplittableRandom(config.seed());
            int d = config.hidden();
            Map<String, NDArray> w = new LinkedHashMap<>();
            w.put(ITEM_EMBEDDING, Weights.xavier(manager, random, config.numItems() + 1, d, true));
            w.put(WEIGHT_IH, Weights.xavier(manager, random, 3 * d, d, false));
            w.put(WEIGHT_HH, Weights.xavier(manager, random, 3 * d, d, false));
            w.put(BIAS_IH, manager.zeros(new Shape(3L * d)));
            w.put(BIAS_HH, manager.zeros(new Shape(3L * d)));
            return new Gru4Rec(config, manager, w);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads a model saved by {@link #save}. */
    public static Gru4Rec load(Path dir) {
        BaselineConfig config = BaselineConfig.load(dir.resolve(BaselineConfig.FILE));
        NDManager manager = NDManager.newBaseManager();
        try {
            return new Gru4Rec(config, manager, Weights.load(dir, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Saves the weights and config into {@code dir}. */
    public void save(Path dir) {
        Weights.save(dir, parameters, config);
    }

    /** The hyper-parameters. */
    public BaselineConfig config() {
        return config;
    }

    /** The weights by name. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The item table V = E, {@code [numItems + 1][d]} row-major (row 0 padding). */
    public float[] itemTable() {
        return embedding.toFloatArray();
    }

    /**
     * The GRU states after every position, {@code [B, T, d]}, of int64 items {@code [B, T]}
     * left-padded with 0 (the state stays 0 over padding).
     */
    NDArray states(NDArray items, boolean training) {
        long b = items.getShape().get(0);
        int t = Math.toIntExact(items.getShape().get(1));
        int d = config.hidden();
        NDArray x = Weights.dropout(Weights.embed(items, embedding), config.dropout(), training);
        NDArray gatesIn = x.matMul(weightIh.transpose()).add(biasIh);
        NDArray real = items.gt(Scalars.like(items, 0)).toType(DataType.FLOAT32, false);
        NDManager m = items.getManager();
        NDArray h = m.zeros(new Shape(b, d));
        NDList out = new NDList(t);
        NDArray hhT = weightHh.transpose();
        for (int j = 0; j < t; j++) {
            NDList gi = gatesIn.get(":, " + j + ", :").split(3, 1);
            NDList gh = h.matMul(hhT).add(biasHh).split(3, 1);
            NDArray r = Activation.sigmoid(gi.get(0).add(gh.get(0)));
            NDArray z = Activation.sigmoid(gi.get(1).add(gh.get(1)));
            NDArray n = gi.get(2).add(r.mul(gh.get(2))).tanh();
            NDArray next = n.add(z.mul(h.sub(n)));
            NDArray keep = real.get(":, " + j).reshape(b, 1);
            h = h.add(keep.mul(next.sub(h)));
            out.add(h);
        }
        return NDArrays.stack(out, 1);
    }

    /**
     * The user vectors (the state after the last of at most maxLength items), {@code [users][d]}.
     */
    public float[][] userVectors(List<int[]> sequences) {
        int d = config.hidden();
        float[][] out = new float[sequences.size()][];
        for (int from = 0; from < sequences.size(); from += 256) {
            int to = Math.min(sequences.size(), from + 256);
            try (NDManager m = manager.newSubManager()) {
                NDArray items =
                        Weights.pack(
                                m,
                                sequences.subList(from, to),
                                config.maxLength(),
                                config.numItems());
                NDArray s = states(items, false);
                float[] last = s.get(":, -1, :").toFloatArray();
                for (int i = from; i < to; i++) {
                    out[i] = Arrays.copyOfRange(last, (i - from) * d, (i - from + 1) * d);
                }
            }
        }
        return out;
    }

    /**
     * Trains all weights on the users' sequences (item ids oldest first; users with fewer than two
     * items are skipped), every user once per epoch.
     */
    public TrainingLog train(List<int[]> sequences, BaselineTraining training, TrainingLog log) {
        int l = config.maxLength();
        List<long[]> inputs = new ArrayList<>();
        List<long[]> targets = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int[] s : sequences) {
            if (s.length < 2) {
                continue;
            }
            int n = Math.min(s.length, l + 1);
            int from = s.length - n;
            long[] in = new long[n - 1];
            long[] tg = new long[n - 1];
            for (int k = 0; k < n - 1; k++) {
                in[k] = check(s[from + k]);
                tg[k] = check(s[from + k + 1]);
            }
            inputs.add(in);
            targets.add(tg);
            lengths.add(n - 1);
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no user has two items to train on");
        }
        List<int[]> batches =
                LengthBuckets.batches(
                        lengths.stream().mapToInt(Integer::intValue).toArray(),
                        training.batchSize(),
                        training.epochs(),
                        training.seed());
        float[] padMask = new float[config.numItems() + 1];
        padMask[0] = -1e9f;
        return TrainingLoop.run(
                manager,
                parameters,
                batches.size(),
                (m, idx) -> loss(m, batches.get(idx[0]), inputs, targets, padMask),
                training.loop(batches.size()),
                log);
    }

    private TrainingLoop.LossOutput loss(
            NDManager m, int[] batch, List<long[]> inputs, List<long[]> targets, float[] pad) {
        int t = 0;
        for (int e : batch) {
            t = Math.max(t, inputs.get(e).length);
        }
        long[] in = new long[batch.length * t];
        long[] tg = new long[batch.length * t];
        for (int i = 0; i < batch.length; i++) {
            long[] x = inputs.get(batch[i]);
            System.arraycopy(x, 0, in, i * t + t - x.length, x.length);
            System.arraycopy(targets.get(batch[i]), 0, tg, i * t + t - x.length, x.length);
        }
        NDArray items = m.create(in, new Shape(batch.length, t));
        NDArray target = m.create(tg, new Shape(batch.length, t));
        NDArray logits = states(items, true).matMul(embedding.transpose()).add(m.create(pad));
        NDArray logp = logits.logSoftmax(-1);
        NDArray picked = logp.gather(target.expandDims(2), 2).squeeze(2);
        NDArray real = target.gt(Scalars.like(target, 0)).toType(DataType.FLOAT32, false);
        NDArray count = real.sum();
        NDArray loss = picked.mul(real).sum().div(count).neg();
        double hits =
                logits.argMax(2)
                        .eq(target)
                        .toType(DataType.FLOAT32, false)
                        .mul(real)
                        .sum()
                        .div(count)
                        .getFloat();
        return new TrainingLoop.LossOutput(loss, Map.of("top1", hits));
    }

    private long check(int item) {
        if (item < 1 || item > config.numItems()) {
            throw new IllegalArgumentException(
                    "item id " + item + " outside 1.." + config.numItems());
        }
        return item;
    }

    private NDArray put(Map<String, NDArray> weights, String name, long... shape) {
        NDArray a = Weights.take(weights, name, manager, shape);
        parameters.put(name, a);
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "Gru4Rec" + Objects.toString(config);
    }
}
