package org.coea.model.baseline;

import ai.djl.ndarray.NDArray;
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
import java.util.SplittableRandom;
import org.coea.model.nd.Scalars;
import org.coea.model.train.Seeds;
import org.coea.model.train.TrainingLog;
import org.coea.model.train.TrainingLoop;

/**
 * The {@code Two-tower} baseline (a dual encoder in the style of Yi et al., 2019): a user tower
 * {@code u = normalize(W_2 relu(W_1 mean(U[i_1..i_T]) + b_1) + b_2)} over the user's last {@code
 * maxLength} items (its own item embedding U), an item tower {@code v_i = normalize(W_v E[i] +
 * b_v)}, and the logit {@code <u, v_i> / temperature}.
 *
 * <p>Training ({@link #train}): examples are (history, next item) pairs cut from each user's
 * sequence, up to {@value #CUTS_PER_USER} random cuts per user and epoch; each batch is one softmax
 * over the batch's own next items (in-batch negatives), a row's other columns holding the same item
 * as its target masked out.
 */
public final class TwoTower implements AutoCloseable {
    /** The config's model type. */
    public static final String MODEL_TYPE = "two-tower";

    /** (history, next item) pairs drawn per user and epoch. */
    public static final int CUTS_PER_USER = 8;

    static final String USER_EMBEDDING = "user_tower.item_embedding.weight";
    static final String USER_W1 = "user_tower.mlp.0.weight";
    static final String USER_B1 = "user_tower.mlp.0.bias";
    static final String USER_W2 = "user_tower.mlp.2.weight";
    static final String USER_B2 = "user_tower.mlp.2.bias";
    static final String ITEM_EMBEDDING = "item_tower.item_embedding.weight";
    static final String ITEM_W = "item_tower.proj.weight";
    static final String ITEM_B = "item_tower.proj.bias";

    private static final double EPS = 1e-12;

    private final BaselineConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();

    private TwoTower(BaselineConfig config, NDManager manager, Map<String, NDArray> weights) {
        if (!MODEL_TYPE.equals(config.model())) {
            throw new IllegalArgumentException("not a two-tower config: " + config.model());
        }
        this.config = config;
        this.manager = manager;
        long d = config.hidden();
        long n = config.numItems() + 1L;
        for (String name : List.of(USER_EMBEDDING, ITEM_EMBEDDING)) {
            parameters.put(name, Weights.take(weights, name, manager, n, d));
        }
        for (String name : List.of(USER_W1, USER_W2, ITEM_W)) {
            parameters.put(name, Weights.take(weights, name, manager, d, d));
        }
        for (String name : List.of(USER_B1, USER_B2, ITEM_B)) {
            parameters.put(name, Weights.take(weights, name, manager, d));
        }
        if (!weights.isEmpty()) {
            throw new IllegalArgumentException("unexpected two-tower weights: " + weights.keySet());
        }
    }

    /** A freshly initialised model (Xavier-normal matrices, zero biases), seeded by the config. */
    public static TwoTower create(BaselineConfig config) {
        NDManager manager = NDManager.newBaseManager();
        try {
            SplittableRandom random = new SplittableRandom(config.seed());
            int d = config.hidden();
            int n = config.numItems() + 1;
            Map<String, NDArray> w = new LinkedHashMap<>();
            w.put(USER_EMBEDDING, Weights.xavier(manager, random, n, d, true));
            w.put(ITEM_EMBEDDING, Weights.xavier(manager, random, n, d, true));
            for (String name : List.of(USER_W1, USER_W2, ITEM_W)) {
                w.put(name, Weights.xavier(manager, random, d, d, false));
            }
            for (String name : List.of(USER_B1, USER_B2, ITEM_B)) {
                w.put(name, manager.zeros(new Shape(d)));
            }
            return new TwoTower(config, manager, w);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads a model saved by {@link #save}. */
    public static TwoTower load(Path dir) {
        BaselineConfig config = BaselineConfig.load(dir.resolve(BaselineConfig.FILE));
        NDManager manager = NDManager.newBaseManager();
        try {
            return new TwoTower(config, manager, Weights.load(dir, manager));
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

    /** u {@code [B, d]} (unit length) of int64 items {@code [B, T]} left-padded with 0. */
    NDArray userTower(NDArray items, boolean training) {
        NDArray real = items.gt(Scalars.like(items, 0)).toType(DataType.FLOAT32, false);
        NDArray e = Weights.embed(items, parameters.get(USER_EMBEDDING));
        e = Weights.dropout(e, config.dropout(), training).mul(real.expandDims(2));
        NDArray count = real.sum(new int[] {1}, true);
        NDArray mean = e.sum(new int[] {1}).div(count.maximum(Scalars.like(count, 1.0)));
        NDArray hidden =
                Activation.relu(
                        mean.matMul(parameters.get(USER_W1).transpose())
                                .add(parameters.get(USER_B1)));
        return normalize(
                hidden.matMul(parameters.get(USER_W2).transpose()).add(parameters.get(USER_B2)));
    }

    /** v {@code [M, d]} (unit length) of int64 item ids {@code [M]}. */
    NDArray itemTower(NDArray ids) {
        NDArray e = Weights.embed(ids, parameters.get(ITEM_EMBEDDING));
        return normalize(e.matMul(parameters.get(ITEM_W).transpose()).add(parameters.get(ITEM_B)));
    }

    private static NDArray normalize(NDArray x) {
        NDArray norm = Scalars.add(x.square().sum(new int[] {-1}, true), EPS).sqrt();
        return x.div(norm);
    }

    /**
     * The user vectors scaled for the softmax, {@code u / temperature}, {@code [users][d]}: with
     * {@link #itemTable()} their dot products are the model's next-item logits.
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
                float[] u =
                        Scalars.div(userTower(items, false), config.temperature()).toFloatArray();
                for (int i = from; i < to; i++) {
                    out[i] = Arrays.copyOfRange(u, (i - from) * d, (i - from + 1) * d);
                }
            }
        }
        return out;
    }

    /**
     * The item tower's vectors of every id, {@code [numItems + 1][d]} row-major (row 0 padding).
     */
    public float[] itemTable() {
        try (NDManager m = manager.newSubManager()) {
            return itemTower(m.arange(0, config.numItems() + 1).toType(DataType.INT64, false))
                    .toFloatArray();
        }
    }

    /**
     * Trains both towers on the users' sequences (item ids oldest first; users with fewer than two
     * items are skipped).
     */
    public TrainingLog train(List<int[]> sequences, BaselineTraining training, TrainingLog log) {
        List<int[]> users = new ArrayList<>();
        for (int[] s : sequences) {
            for (int item : s) {
                if (item < 1 || item > config.numItems()) {
                    throw new IllegalArgumentException(
                            "item id " + item + " outside 1.." + config.numItems());
                }
            }
            if (s.length >= 2) {
                users.add(s);
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("no user has two items to train on");
        }
        // Examples (user, cut): the history is the items before the cut, the target the item at it.
        List<long[]> batches = new ArrayList<>();
        for (int epoch = 0; epoch < training.epochs(); epoch++) {
            SplittableRandom r = new SplittableRandom(Seeds.derive(training.seed(), 0x77L + epoch));
            List<long[]> examples = new ArrayList<>();
            for (int u = 0; u < users.size(); u++) {
                int n = users.get(u).length;
                for (int c = 0; c < Math.min(CUTS_PER_USER, n - 1); c++) {
                    examples.add(new long[] {u, 1 + r.nextInt(n - 1)});
                }
            }
            Collections.shuffle(examples, new java.util.Random(r.nextLong()));
            for (int from = 0; from < examples.size(); from += training.batchSize()) {
                List<long[]> b =
                        examples.subList(
                                from, Math.min(examples.size(), from + training.batchSize()));
                long[] packed = new long[2 * b.size()];
                for (int i = 0; i < b.size(); i++) {
                    packed[2 * i] = b.get(i)[0];
                    packed[2 * i + 1] = b.get(i)[1];
                }
                batches.add(packed);
            }
        }
        return TrainingLoop.run(
                manager,
                parameters,
                batches.size(),
                (m, idx) -> loss(m, batches.get(idx[0]), users),
                training.loop(batches.size()),
                log);
    }

    private TrainingLoop.LossOutput loss(NDManager m, long[] packed, List<int[]> users) {
        int b = packed.length / 2;
        List<int[]> histories = new ArrayList<>(b);
        long[] targets = new long[b];
        for (int i = 0; i < b; i++) {
            int[] s = users.get((int) packed[2 * i]);
            int cut = (int) packed[2 * i + 1];
            histories.add(Arrays.copyOfRange(s, Math.max(0, cut - config.maxLength()), cut));
            targets[i] = s[cut];
        }
        float[] mask = new float[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                if (i != j && targets[i] == targets[j]) {
                    mask[i * b + j] = -1e9f;
                }
            }
        }
        NDArray u =
                userTower(Weights.pack(m, histories, config.maxLength(), config.numItems()), true);
        NDArray v = itemTower(m.create(targets));
        NDArray logits =
                Scalars.div(u.matMul(v.transpose()), config.temperature())
                        .add(m.create(mask, new Shape(b, b)));
        NDArray eye = m.eye(b);
        NDArray diagonal = logits.logSoftmax(1).mul(eye).sum(new int[] {1});
        NDArray loss = diagonal.mean().neg();
        double accuracy =
                logits.argMax(1)
                        .eq(m.arange(0, b).toType(DataType.INT64, false))
                        .toType(DataType.FLOAT32, false)
                        .mean()
                        .getFloat();
        return new TrainingLoop.LossOutput(loss, Map.of("in_batch_top1", accuracy));
    }

    @Override
    public void close() {
        manager.close();
    }
}
