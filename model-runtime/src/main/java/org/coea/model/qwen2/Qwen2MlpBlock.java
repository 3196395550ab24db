package org.coea.model.qwen2;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.coea.model.lora.LoraLinearBlock;

/** The SwiGLU MLP of Qwen2: {@code down(silu(gate(x)) * up(x))}, no biases; {@code [B, T, d]}. */
public final class Qwen2MlpBlock {
    final LoraLinearBlock gate;
    final LoraLinearBlock up;
    final LoraLinearBlock down;

    Qwen2MlpBlock(LoraLinearBlock gate, LoraLinearBlock up, LoraLinearBlock down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    NDArray forward(NDArray x, String adapter) {
        NDArray g = gate.forward(x, adapter);
        return down.forward(g.mul(Activation.sigmoid(g)).mul(up.forward(x, adapter)), adapter);
    }
}
