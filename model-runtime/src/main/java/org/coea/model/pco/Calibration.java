package org.coea.model.pco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Platt scaling of the Relevance model's reward: s = sigmoid(scale * r + offset).
 *
 * <p>The pairwise loss (Eq. 12) fixes rewards only up to a constant, so sigmoid(r) of Eq. 13 has no
 * fixed meaning and the threshold gamma (Eq. 14) would keep all or nothing depending on where
 * training left the reward head. Fitting a one-feature logistic regression of "was the positive" on
 * the reward over labelled pairs (positives 1, negatives 0) makes s the probability that a
 * candidate is one the user clicked next rather than a sampled negative, so gamma = 0.5 keeps the
 * candidates more likely than not to be accepted. Interpretation, recorded in docs/pco.md.
 */
public record Calibration(double scale, double offset) {
    /** s = sigmoid(r): no calibration. */
    public static final Calibration IDENTITY = new Calibration(1, 0);

    static final String FILE = "calibration.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates the parameters. */
    public Calibration {
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException(
                    "calibration must be finite: scale " + scale + ", offset " + offset);
        }
    }

    /** The calibrated score of a reward. */
    public double apply(double reward) {
        return 1.0 / (1.0 + Math.exp(-(scale * reward + offset)));
    }

    /**
     * Maximum-likelihood (with a small L2 penalty for separable data) logistic regression of the
     * label on the reward, by Newton's method: positives are label 1, negatives label 0.
     *
     * @throws IllegalArgumentException when either side is empty
     */
    public static Calibration fit(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("calibration needs positives and negatives");
        }
        double a = 0;
        double b = Math.log(positives.length / (double) negatives.length);
        double current = loss(positives, negatives, a, b);
        for (int iter = 0; iter < 100; iter++) {
            double ga = -L2 * a;
            double gb = 0;
            double haa = L2;
            double hab = 0;
            double hbb = 1e-9;
            for (int side = 0; side < 2; side++) {
                double[] xs = side == 0 ? positives : negatives;
                double y = side == 0 ? 1 : 0;
                for (double x : xs) {
                    double p = sigmoid(a * x + b);
                    double w = p * (1 - p);
                    ga += (y - p) * x;
                    gb += y - p;
                    haa += w * x * x;
                    hab += w * x;
                    hbb += w;
                }
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            // Newton's step, halved until the penalised log-loss does not grow.
            double step = 1;
            double next = loss(positives, negatives, a + da, b + db);
            while (next > current && step > 1e-6) {
                step /= 2;
                next = loss(positives, negatives, a + step * da, b + step * db);
            }
            a += step * da;
            b += step * db;
            boolean done = current - next < 1e-12 * Math.max(1, Math.abs(current));
            current = next;
            if (done) {
                break;
            }
        }
        return new Calibration(a, b);
    }

    private static final double L2 = 1e-3;

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** The mean log-loss plus the L2 penalty on the scale. */
    private static double loss(double[] pos, double[] neg, double a, double b) {
        double sum = 0;
        for (double x : pos) {
            sum += softplus(-(a * x + b));
        }
        for (double x : neg) {
            sum += softplus(a * x + b);
        }
        return sum + 0.5 * L2 * a * a;
    }

    private static double softplus(double z) {
        return z > 30 ? z : Math.log1p(Math.exp(z));
    }

    void write(Path file) {
        try {
            Files.writeString(
                    file,
                    String.format(Locale.ROOT, "{\"scale\":%s,\"offset\":%s}", scale, offset),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Calibration read(Path file) {
        if (!Files.isRegularFile(file)) {
            return IDENTITY;
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            return new Calibration(n.path("scale").asDouble(1), n.path("offset").asDouble(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
