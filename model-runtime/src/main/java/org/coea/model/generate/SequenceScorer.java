package org.coea.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coea.model.nd.Precision;
import org.coea.model.qwen2.Qwen2Model;

/**
 * Log-probabilities of continuations given prompts, differentiable (teacher forcing over {@code
 * prompt ++ continuation}, right-padded): the building block of the SFT loss (Eq. 9), of DPO's
 * sequence log-probabilities (Eq. 16) and of the per-token KL (Eq. 17).
 */
public final class SequenceScorer {
    private SequenceScorer() {}

    /**
     * The scored batch.
     *
     * @param tokenLogProbs {@code [B, L-1]} fp32: log p(token t+1 | tokens <= t), 0 outside targets
     * @param targetMask {@code [B, L-1]} fp32: 1 where position t+1 is a continuation token
     * @param logSoftmax {@code [B, L-1, V]} fp32 full log-distributions (for the KL), same
     *     positions
     * @param targets {@code [B, L-1]} int64: the token at position t+1 (what position t predicts)
     */
    public record Scored(
            NDArray tokenLogProbs, NDArray targetMask, NDArray logSoftmax, NDArray targets) {
        /** Sum over each row's continuation tokens: {@code [B]}. */
        public NDArray sum() {
            return tokenLogProbs.sum(new int[] {1});
        }

        /** Target tokens predicted right by the argmax, and the number of target tokens. */
        public long[] correct() {
            NDArray hit =
                    logSoftmax
                            .argMax(-1)
                            .toType(DataType.INT64, false)
                            .eq(targets)
                            .toType(DataType.FLOAT32, false)
                            .mul(targetMask);
            return new long[] {(long) hit.sum().getFloat(), (long) targetMask.sum().getFloat()};
        }

        /** Number of continuation tokens per row: {@code [B]}. */
        public NDArray count() {
            return targetMask.sum(new int[] {1});
        }
    }

    /** Scores {@code continuations[b]} after {@code prompts[b]} with the given adapter. */
    public static Scored score(
            Qwen2Model model,
            NDManager manager,
            List<int[]> prompts,
            List<int[]> continuations,
            int padId,
            String adapter) {
        if (prompts.size() != continuations.size()) {
            throw new IllegalArgumentException("prompts and continuations differ in number");
        }
        List<int[]> rows = new ArrayList<>();
        for (int b = 0; b < prompts.size(); b++) {
            int[] p = prompts.get(b);
            int[] c = continuations.get(b);
            if (p.length == 0 || c.length == 0) {
                throw new IllegalArgumentException("row " + b + ": empty prompt or continuation");
            }
            int[] r = new int[p.length + c.length];
            System.arraycopy(p, 0, r, 0, p.length);
            System.arraycopy(c, 0, r, p.length, c.length);
            rows.add(r);
        }
        TokenBatch batch = TokenBatch.of(manager, rows, padId, false);
        int len = (int) batch.ids().getShape().get(1);
        float[][] target = new float[rows.size()][len - 1];
        for (int b = 0; b < rows.size(); b++) {
            int p = prompts.get(b).length;
            int c = continuations.get(b).length;
            for (int t = p - 1; t < p + c - 1; t++) {
                target[b][t] = 1f;
            }
        }
        NDArray hidden = model.forward(batch.ids(), batch.mask(), Optional.empty(), adapter);
        NDArray logits = Precision.widen(model.logits(hidden.get(":, :-1, :"), adapter));
        NDArray logSoftmax = logits.logSoftmax(-1);
        NDArray next = batch.ids().get(":, 1:").expandDims(-1);
        NDArray picked = logSoftmax.gather(next, 2).squeeze(-1);
        NDArray mask = flat(manager, target);
        return new Scored(picked.mul(mask), mask, logSoftmax, batch.ids().get(":, 1:"));
    }

    private static NDArray flat(NDManager manager, float[][] v) {
        int rows = v.length;
        int cols = rows == 0 ? 0 : v[0].length;
        float[] f = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(v[i], 0, f, i * cols, cols);
        }
        return manager.create(f, new Shape(rows, cols));
    }
}
