package org.coea.model.rqvae;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs work with autograd recording off, the way PyTorch's {@code torch.no_grad()} does, so that
 * codebook re-seeding can change parameters in place even inside a training step's gradient
 * collector.
 */
final class GradMode {
    private GradMode() {}

    static <T> T off(Supplier<T> work) {
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
