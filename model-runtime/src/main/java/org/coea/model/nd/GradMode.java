package org.coea.model.nd;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs work with autograd recording off, the way PyTorch's {@code torch.no_grad()} does: for
 * in-place parameter changes inside a training step's gradient collector (codebook re-seeding), and
 * for inference in threads where PyTorch starts with recording on (Spark task threads).
 */
public final class GradMode {
    private GradMode() {}

    /** Runs the work with recording off and restores the thread's mode. */
    public static <T> T off(Supplier<T> work) {
        boolean recording = JniUtils.isGradMode();
        if (recording) {
            JniUtils.setGradMode(false);
        }
        try {
            return work.get();
        } finally {
            if (recording) {
                JniUtils.setGradMode(true);
            }
        }
    }
}
