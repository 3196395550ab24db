/**
 * Model-agnostic training machinery over a name-to-array parameter map: the AdamW optimizer,
 * learning-rate schedules, global-norm clipping, gradient accumulation, step logs, seeding and
 * checkpoints.
 *
 * <p>Parameters are DJL arrays with {@code setRequiresGradient(true)} held in an insertion-ordered
 * {@code Map<String, NDArray>}; the trainer owns them and runs its forward passes under {@code
 * Engine.getInstance().newGradientCollector()}. A trainer step with accumulation over {@code k}
 * micro-batches reads:
 *
 * <pre>{@code
 * for (Batch micro : microBatches) {
 *     try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
 *         gc.backward(accumulator.scale(loss(micro)));
 *     }
 *     if (accumulator.advance()) {
 *         double norm = Gradients.clipGlobalNorm(params.values(), maxNorm);
 *         float lr = schedule.rate(optimizer.stepCount());
 *         optimizer.step(params, lr);
 *         Gradients.zeroGradients(params.values());
 *         log.add(StepRecord.of(optimizer.stepCount(), lossSum, lr, norm));
 *     }
 * }
 * }</pre>
 *
 * <p>Every scalar that meets an array goes through {@link org.coea.model.nd.Scalars}: on the
 * PyTorch engine {@code NDArray.add/sub/mul/div(Number)} corrupts gradients.
 */
package org.coea.model.train;
