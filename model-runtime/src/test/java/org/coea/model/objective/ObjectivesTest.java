package org.coea.model.objective;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.coea.model.generate.SequenceScorer;
import org.coea.model.lora.LoraLinearBlock;
import org.coea.model.lora.LoraWeights;
import org.coea.model.qwen2.Qwen2Config;
import org.coea.model.qwen2.Qwen2Model;
import org.coea.model.testutils.TinyQwen2;
import org.junit.jupiter.api.Test;

class ObjectivesTest {

    @Test
    void logSigmoidPairwiseAndDpoMatchPlainJava() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] xs = {-60, -5, -0.5, 0, 0.5, 5, 60};
            float[] got =
                    Objectives.logSigmoid(m.create(xs))
                            .toType(DataType.FLOAT32, false)
                            .toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double expected =
                        xs[i] < 0
                                ? xs[i] - Math.log1p(Math.exp(xs[i]))
                                : -Math.log1p(Math.exp(-xs[i]));
                assertThat((double) got[i])
                        .as("x=%s", xs[i])
                        .isCloseTo(expected, Offset.offset(1e-6));
            }
            NDArray chosen = m.create(new double[] {2.0, 0.5});
            NDArray rejected = m.create(new double[] {1.0, 1.5});
            double pair = Objectives.pairwise(chosen, rejected).getDouble();
            double expectedPair = (Math.log1p(Math.exp(-1.0)) + Math.log1p(Math.exp(1.0))) / 2;
            assertThat(pair).isCloseTo(expectedPair, Offset.offset(1e-9));
            NDArray margin =
                    Objectives.dpoMargin(
                            m.create(new double[] {-1.0}),
                            m.create(new double[] {-3.0}),
                            m.create(new double[] {-2.0}),
                            m.create(new double[] {-2.5}));
            // (-1 - -2) - (-3 - -2.5) = 1.5; loss = -log sigmoid(0.1 * 1.5)
            assertThat(margin.getDouble(0)).isEqualTo(1.5);
            assertThat(Objectives.dpo(margin, 0.1).getDouble())
                    .isCloseTo(Math.log1p(Math.exp(-0.15)), Offset.offset(1e-12));
        }
    }

    /**
     * Finite differences in fp64 over the LoRA parameters of SFT + DPO + KL: the analytic gradients
     * (through every Scalars constant of the model and the losses) must agree.
     */
    @Test
    void loraGradientsPassAFiniteDifferenceCheck() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Qwen2Config config = TinyQwen2.config();
            Map<String, NDArray> w = new LinkedHashMap<>();
            TinyQwen2.weights(config, manager, 31)
                    .forEach((k, v) -> w.put(k, v.toType(DataType.FLOAT64, false)));
            Qwen2Model model = Qwen2Model.of(config, manager.newSubManager(), w);
            java.util.SplittableRandom r = new java.util.SplittableRandom(4);
            Map<String, double[][]> lora = new LinkedHashMap<>();
            for (String module :
                    new String[] {
                        "model.layers.0.self_attn.v_proj",
                        "model.layers.1.mlp.up_proj",
                        "model.layers.1.self_attn.q_proj",
                        "model.layers.0.self_attn.k_proj"
                    }) {
                LoraLinearBlock layer = model.linearLayers().get(module);
                int in = (int) layer.inFeatures();
                int out = (int) layer.outFeatures();
                double[] a = random(r, 2 * in);
                double[] b = random(r, out * 2);
                lora.put(module, new double[][] {a, b, {in, out}});
                NDArray aa = manager.create(a, new Shape(2, in));
                NDArray bb = manager.create(b, new Shape(out, 2));
                aa.setRequiresGradient(true);
                bb.setRequiresGradient(true);
                layer.putAdapter("policy", new LoraWeights(aa, bb, 1.5));
            }
            List<int[]> prompts = List.of(new int[] {3, 4, 5}, new int[] {6, 7, 8, 9});
            List<int[]> chosen = List.of(new int[] {10, 1}, new int[] {12, 13, 1});
            List<int[]> rejected = List.of(new int[] {11, 1}, new int[] {14, 1});

            double[] analytic;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = loss(model, manager, prompts, chosen, rejected, "policy");
                gc.backward(loss);
            }
            LoraLinearBlock probe = model.linearLayers().get("model.layers.0.self_attn.v_proj");
            analytic = probe.adapters().get("policy").a().getGradient().toDoubleArray();
            double[] analyticB =
                    model.linearLayers()
                            .get("model.layers.1.mlp.up_proj")
                            .adapters()
                            .get("policy")
                            .b()
                            .getGradient()
                            .toDoubleArray();

            double eps = 1e-6;
            for (int idx : new int[] {0, 5, 17, 31}) {
                double numeric =
                        numeric(
                                model,
                                manager,
                                lora,
                                "model.layers.0.self_attn.v_proj",
                                0,
                                idx,
                                eps,
                                prompts,
                                chosen,
                                rejected);
                assertThat(analytic[idx])
                        .as("dL/dA[%d]", idx)
                        .isCloseTo(numeric, Offset.offset(1e-6 + 1e-5 * Math.abs(numeric)));
            }
            for (int idx : new int[] {1, 8, 40}) {
                double numeric =
                        numeric(
                                model,
                                manager,
                                lora,
                                "model.layers.1.mlp.up_proj",
                                1,
                                idx,
                                eps,
                                prompts,
                                chosen,
                                rejected);
                assertThat(analyticB[idx])
                        .as("dL/dB[%d]", idx)
                        .isCloseTo(numeric, Offset.offset(1e-6 + 1e-5 * Math.abs(numeric)));
            }
            // Through the attention probabilities: q of layer 1 and k of layer 0.
            for (String module :
                    new String[] {
                        "model.layers.1.self_attn.q_proj", "model.layers.0.self_attn.k_proj"
                    }) {
                double[] g =
                        model.linearLayers()
                                .get(module)
                                .adapters()
                                .get("policy")
                                .a()
                                .getGradient()
                                .toDoubleArray();
                for (int idx : new int[] {2, 19}) {
                    double numeric =
                            numeric(
                                    model, manager, lora, module, 0, idx, eps, prompts, chosen,
                                    rejected);
                    assertThat(g[idx])
                            .as("%s dL/dA[%d]", module, idx)
                            .isCloseTo(numeric, Offset.offset(1e-6 + 1e-5 * Math.abs(numeric)));
                    assertThat(Math.abs(numeric))
                            .as("%s gradient is not trivially zero", module)
                            .isGreaterThan(1e-9);
                }
            }
            assertThat(java.util.Arrays.stream(analytic).map(Math::abs).max().orElse(0))
                    .isGreaterThan(1e-4);
        }
    }

    /** SFT on the chosen answers + DPO against the base model + 0.3 * KL to the base model. */
    private static NDArray loss(
            Qwen2Model model,
            NDManager m,
            List<int[]> prompts,
            List<int[]> chosen,
            List<int[]> rejected,
            String adapter) {
        SequenceScorer.Scored pc = SequenceScorer.score(model, m, prompts, chosen, 0, adapter);
        SequenceScorer.Scored pr = SequenceScorer.score(model, m, prompts, rejected, 0, adapter);
        SequenceScorer.Scored rc =
                SequenceScorer.score(model, m, prompts, chosen, 0, Qwen2Model.BASE);
        SequenceScorer.Scored rr =
                SequenceScorer.score(model, m, prompts, rejected, 0, Qwen2Model.BASE);
        NDArray margin =
                Objectives.dpoMargin(
                        pc.sum(), pr.sum(), rc.sum().stopGradient(), rr.sum().stopGradient());
        NDArray kl =
                Objectives.tokenKl(
                        pc,
                        new SequenceScorer.Scored(
                                rc.tokenLogProbs(),
                                rc.targetMask(),
                                rc.logSoftmax().stopGradient(),
                                rc.targets()));
        return Objectives.sft(pc)
                .add(Objectives.dpo(margin, 0.5))
                .add(org.coea.model.nd.Scalars.mul(kl, 0.3));
    }

    private static double numeric(
            Qwen2Model model,
            NDManager m,
            Map<String, double[][]> lora,
            String module,
            int which,
            int idx,
            double eps,
            List<int[]> prompts,
            List<int[]> chosen,
            List<int[]> rejected) {
        double[] values = new double[2];
        for (int s = 0; s < 2; s++) {
            for (Map.Entry<String, double[][]> e : lora.entrySet()) {
                double[] a = e.getValue()[0].clone();
                double[] b = e.getValue()[1].clone();
                if (e.getKey().equals(module)) {
                    (which == 0 ? a : b)[idx] += s == 0 ? eps : -eps;
                }
                int in = (int) e.getValue()[2][0];
                int out = (int) e.getValue()[2][1];
                model.linearLayers()
                        .get(e.getKey())
                        .putAdapter(
                                "probe",
                                new LoraWeights(
                                        m.create(a, new Shape(2, in)),
                                        m.create(b, new Shape(out, 2)),
                                        1.5));
            }
            try (NDManager sub = m.newSubManager()) {
                values[s] = loss(model, sub, prompts, chosen, rejected, "probe").getDouble();
            }
        }
        return (values[0] - values[1]) / (2 * eps);
    }

    private static double[] random(java.util.SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextDouble() - 0.5) * 0.5;
        }
        return v;
    }
}
