package org.coea.model.rqvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.safetensors.SafetensorsWriter;

/**
 * The RQ-VAE of DSIE (METHOD.md Eq. 2 / 6) that maps a user's long-term interest vector h_u to its
 * Group CSID: encoder MLP {@code [B, in] -> z [B, D]}, {@link ResidualQuantizer} (L levels of K
 * codes), decoder MLP {@code [B, D] -> h_hat [B, in]}.
 *
 * <p>Loss = {@code ||h - h_hat||^2} (summed over the input width, averaged over the batch) + the
 * quantizer loss of Eq. 2. Weights are named {@code encoder.<i>.weight} {@code [out, in]}, {@code
 * encoder.<i>.bias}, the same for {@code decoder}, and {@code quantizer.codebook.<l>} {@code [K,
 * D]}; all float32. Saved as {@value RqVaeConfig#FILE} plus {@value #WEIGHTS}.
 */
public final class RqVae implements AutoCloseable {
    /** The weights file name. */
    public static final String WEIGHTS = "model.safetensors";

    private static final int CHUNK = 4096;

    private final RqVaeConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final MlpBlock encoder;
    private final MlpBlock decoder;
    private final ResidualQuantizer quantizer;

    /**
     * The arrays of one forward pass.
     *
     * @param reconstruction h_hat {@code [B, in]}
     * @param codes {@code [B, L]} int64
     * @param reconstructionLoss {@code mean_b ||h - h_hat||^2}
     * @param quantizerLoss the Eq. 2 quantizer terms
     * @param loss their sum, the training objective
     */
    public record Output(
            NDArray reconstruction,
            NDArray codes,
            NDArray reconstructionLoss,
            NDArray quantizerLoss,
            NDArray loss) {}

    private RqVae(
            RqVaeConfig config,
            NDManager manager,
            Map<String, NDArray> weights,
            boolean initialised) {
        this.config = config;
        this.manager = manager;
        Map<String, NDArray> w = new LinkedHashMap<>(weights);
        Map<String, NDArray> kept = new LinkedHashMap<>();
        this.encoder = mlp(w, kept, "encoder", widths(config, true));
        this.decoder = mlp(w, kept, "decoder", widths(config, false));
        List<NDArray> books = new ArrayList<>();
        for (int l = 0; l < config.levels(); l++) {
            books.add(take(w, kept, codebookName(l), config.codebookSize(), config.latentDim()));
        }
        if (!w.isEmpty()) {
            throw new IllegalArgumentException("unexpected RQ-VAE weights: " + w.keySet());
        }
        this.parameters = Collections.unmodifiableMap(kept);
        this.quantizer = new ResidualQuantizer(books, config.beta(), initialised);
    }

    /**
     * A new model with random weights (see {@link #randomWeights}) on a new sub-manager of {@code
     * manager}, which the model closes; its codebooks await the k-means initialisation.
     */
    public static RqVae create(RqVaeConfig config, NDManager manager) {
        NDManager owner = manager.newSubManager();
        try {
            return new RqVae(config, owner, randomWeights(config, owner), false);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * A model over trained weights (the names above), which it takes over: they are attached to
     * {@code manager}, which the model closes. The codebooks count as initialised.
     *
     * @throws IllegalArgumentException naming a missing, misshapen or unexpected weight
     */
    public static RqVae of(RqVaeConfig config, NDManager manager, Map<String, NDArray> weights) {
        Map<String, NDArray> w = new LinkedHashMap<>(weights);
        w.values().forEach(a -> a.attach(manager));
        return new RqVae(config, manager, w, true);
    }

    /**
     * Random weights, deterministic for {@code config.seed()} (drawn in Java): linear layers as
     * PyTorch's default, weights and biases uniform in {@code +-1/sqrt(in)}; codewords uniform in
     * {@code +-1/sqrt(D)} as placeholders until the k-means initialisation.
     */
    public static Map<String, NDArray> randomWeights(RqVaeConfig config, NDManager manager) {
        SplittableRandom random = new SplittableRandom(config.seed());
        Map<String, NDArray> w = new LinkedHashMap<>();
        for (String part : List.of("encoder", "decoder")) {
            List<Integer> widths = widths(config, part.equals("encoder"));
            for (int i = 0; i + 1 < widths.size(); i++) {
                int in = widths.get(i);
                int out = widths.get(i + 1);
                double bound = 1 / Math.sqrt(in);
                w.put(part + "." + i + ".weight", uniform(manager, random, bound, out, in));
                w.put(part + "." + i + ".bias", uniform(manager, random, bound, out));
            }
        }
        for (int l = 0; l < config.levels(); l++) {
            w.put(
                    codebookName(l),
                    uniform(
                            manager,
                            random,
                            1 / Math.sqrt(config.latentDim()),
                            config.codebookSize(),
                            config.latentDim()));
        }
        return w;
    }

    /** The name of a level's codebook (0-based). */
    public static String codebookName(int level) {
        return "quantizer.codebook." + level;
    }

    /** The configuration. */
    public RqVaeConfig config() {
        return config;
    }

    /** The manager that owns the weights. */
    public NDManager manager() {
        return manager;
    }

    /** All weights by name (the arrays themselves), in a fixed order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** The quantizer. */
    public ResidualQuantizer quantizer() {
        return quantizer;
    }

    /** z = Enc(h): {@code [B, in] -> [B, D]}; arrays belong to {@code h}'s manager. */
    public NDArray encode(NDArray h) {
        requireInput(h);
        return encoder.forward(h);
    }

    /** h_hat = Dec(z_hat): {@code [B, D] -> [B, in]}; arrays belong to {@code zHat}'s manager. */
    public NDArray decode(NDArray zHat) {
        return decoder.forward(zHat);
    }

    /** The training forward pass of {@code h [B, in]} with its losses. */
    public Output forward(NDArray h) {
        NDArray z = encode(h);
        ResidualQuantizer.Quantized q = quantizer.quantize(z);
        NDArray hHat = decode(q.straightThrough());
        NDArray reconstruction = h.sub(hHat).square().sum(new int[] {1}).mean();
        return new Output(hHat, q.codes(), reconstruction, q.loss(), reconstruction.add(q.loss()));
    }

    /** The codes {@code [B, L]} int64 of {@code h [B, in]}, without gradients. */
    public NDArray codes(NDArray h) {
        return quantizer.codes(encode(h).stopGradient());
    }

    /**
     * The codes {@code [n][L]} of each vector, level 1 first: a pure function of the weights (ties
     * to the lower code).
     */
    public int[][] codes(float[][] vectors) {
        requireRows(vectors);
        int levels = config.levels();
        int[][] out = new int[vectors.length][levels];
        for (int from = 0; from < vectors.length; from += CHUNK) {
            int to = Math.min(vectors.length, from + CHUNK);
            try (NDManager m = manager.newSubManager()) {
                long[] flat = codes(input(m, vectors, from, to)).toLongArray();
                for (int i = from; i < to; i++) {
                    for (int l = 0; l < levels; l++) {
                        out[i][l] = (int) flat[(i - from) * levels + l];
                    }
                }
            }
        }
        return out;
    }

    /** The encoder outputs z {@code [n][D]} of each vector. */
    public float[][] latents(float[][] vectors) {
        requireRows(vectors);
        float[][] out = new float[vectors.length][];
        for (int from = 0; from < vectors.length; from += CHUNK) {
            int to = Math.min(vectors.length, from + CHUNK);
            try (NDManager m = manager.newSubManager()) {
                copyRows(encode(input(m, vectors, from, to)).stopGradient(), out, from);
            }
        }
        return out;
    }

    /**
     * The reconstructions h_hat {@code [n][in]} decoded from the first {@code levels} codewords
     * only ({@code levels = L} is the model's full reconstruction).
     */
    public float[][] reconstruct(float[][] vectors, int levels) {
        requireRows(vectors);
        float[][] out = new float[vectors.length][];
        for (int from = 0; from < vectors.length; from += CHUNK) {
            int to = Math.min(vectors.length, from + CHUNK);
            try (NDManager m = manager.newSubManager()) {
                NDArray codes = codes(input(m, vectors, from, to));
                copyRows(decode(quantizer.lookup(codes, levels)).stopGradient(), out, from);
            }
        }
        return out;
    }

    /**
     * The mean over vectors of {@code ||h - h_hat||^2} with h_hat from the first {@code levels}
     * codewords.
     */
    public double reconstructionError(float[][] vectors, int levels) {
        float[][] hHat = reconstruct(vectors, levels);
        double sum = 0;
        for (int i = 0; i < vectors.length; i++) {
            sum += KMeans.squaredDistance(vectors[i], hHat[i]);
        }
        return sum / vectors.length;
    }

    /** Writes {@value RqVaeConfig#FILE} and {@value #WEIGHTS} (float32) into {@code dir}. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            config.save(dir.resolve(RqVaeConfig.FILE));
            SafetensorsWriter.writeArrays(
                    dir.resolve(WEIGHTS),
                    parameters,
                    SafetensorsDtype.F32,
                    Map.of("format", "pt", "model_type", "rqvae"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the RQ-VAE to " + dir, e);
        }
    }

    /**
     * Loads a model saved by {@link #save} onto a new sub-manager of {@code manager}, which the
     * model closes.
     *
     * @throws IllegalArgumentException naming the directory when the weights do not fit the config
     */
    public static RqVae load(Path dir, NDManager manager) {
        RqVaeConfig config = RqVaeConfig.load(dir.resolve(RqVaeConfig.FILE));
        NDManager owner = manager.newSubManager();
        Map<String, NDArray> weights = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(WEIGHTS))) {
            for (String name : file.names()) {
                weights.put(name, file.load(owner, name, DataType.FLOAT32));
            }
        } catch (IOException e) {
            owner.close();
            throw new UncheckedIOException("cannot read the RQ-VAE weights in " + dir, e);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
        try {
            return of(config, owner, weights);
        } catch (RuntimeException e) {
            owner.close();
            throw new IllegalArgumentException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Frees the weights. */
    @Override
    public void close() {
        manager.close();
    }

    NDArray input(NDManager m, float[][] vectors, int from, int to) {
        int dim = config.inputDim();
        float[] flat = new float[(to - from) * dim];
        for (int i = from; i < to; i++) {
            System.arraycopy(vectors[i], 0, flat, (i - from) * dim, dim);
        }
        return m.create(flat, new Shape(to - from, dim));
    }

    void requireRows(float[][] vectors) {
        Objects.requireNonNull(vectors, "vectors");
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null || vectors[i].length != config.inputDim()) {
                throw new IllegalArgumentException(
                        "vector "
                                + i
                                + " has width "
                                + (vectors[i] == null ? "null" : vectors[i].length)
                                + ", expected "
                                + config.inputDim());
            }
        }
    }

    private void requireInput(NDArray h) {
        if (h.getShape().dimension() != 2 || h.getShape().get(1) != config.inputDim()) {
            throw new IllegalArgumentException(
                    "expected h [B, " + config.inputDim() + "], got " + h.getShape());
        }
    }

    private static void copyRows(NDArray array, float[][] out, int from) {
        int cols = (int) array.getShape().get(1);
        float[] flat = array.toFloatArray();
        int rows = flat.length / Math.max(1, cols);
        for (int i = 0; i < rows; i++) {
            out[from + i] = new float[cols];
            System.arraycopy(flat, i * cols, out[from + i], 0, cols);
        }
    }

    private static List<Integer> widths(RqVaeConfig config, boolean encoder) {
        List<Integer> widths = new ArrayList<>();
        if (encoder) {
            widths.add(config.inputDim());
            widths.addAll(config.encoderHidden());
            widths.add(config.latentDim());
        } else {
            widths.add(config.latentDim());
            widths.addAll(config.decoderHidden());
            widths.add(config.inputDim());
        }
        return widths;
    }

    private static MlpBlock mlp(
            Map<String, NDArray> w, Map<String, NDArray> kept, String part, List<Integer> widths) {
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> biases = new ArrayList<>();
        for (int i = 0; i + 1 < widths.size(); i++) {
            weights.add(
                    take(w, kept, part + "." + i + ".weight", widths.get(i + 1), widths.get(i)));
            biases.add(take(w, kept, part + "." + i + ".bias", widths.get(i + 1)));
        }
        return new MlpBlock(weights, biases);
    }

    private static NDArray take(
            Map<String, NDArray> weights, Map<String, NDArray> kept, String name, long... shape) {
        NDArray a = weights.remove(name);
        if (a == null) {
            throw new IllegalArgumentException("missing RQ-VAE weight " + name);
        }
        if (!a.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException(
                    "RQ-VAE weight "
                            + name
                            + " has shape "
                            + a.getShape()
                            + ", expected "
                            + new Shape(shape));
        }
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(
                    "RQ-VAE weight " + name + " is " + a.getDataType() + ", expected float32");
        }
        kept.put(name, a);
        return a;
    }

    private static NDArray uniform(
            NDManager manager, SplittableRandom random, double bound, long... shape) {
        long count = 1;
        for (long s : shape) {
            count *= s;
        }
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return manager.create(v, new Shape(shape));
    }
}
