package org.coea.spark.csa;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;
import org.coea.model.csa.CsaConfig;
import org.coea.model.csa.CsaEncoder;
import org.coea.model.csa.CsaTrainer;
import org.coea.model.safetensors.SafetensorsDtype;
import org.coea.model.safetensors.SafetensorsFile;
import org.coea.model.safetensors.SafetensorsWriter;
import org.coea.model.safetensors.TensorData;
import org.coea.model.train.ParameterAveraging;
import org.coea.model.train.StepRecord;
import org.coea.model.train.TrainingLog;
import org.coea.spark.warehouse.ModelFiles;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Data-parallel CSA training on Spark's barrier execution mode, for inputs past one machine: the
 * training users are split into {@code workers} partitions, one barrier task per partition builds
 * the same initial encoder (same seed) and trains it on its share with its own AdamW state, and
 * every {@code syncEvery} steps (and after the last) the tasks average their parameters ({@link
 * ParameterAveraging}) through files under {@code <warehouse>/_staging/csa-sync-<uuid>/} and {@link
 * BarrierTaskContext#barrier()}. The tasks run the same number of steps, so each epoch sees every
 * user once over all workers; worker 0 writes the final weights, which the driver loads.
 *
 * <p>Spark starts a barrier stage only when all {@code workers} tasks fit at once (at least that
 * many task slots). Several tasks in one executor JVM share DJL's single gradient section and take
 * turns; give each task its own executor ({@code spark.task.cpus} = executor cores) for real
 * parallelism.
 */
final class BarrierCsaTraining {
    private BarrierCsaTraining() {}

    /** The step records of every worker, and where worker 0 left the trained encoder. */
    record Result(
            List<StepRecord> workerZeroLog, double finalLossMean, long rounds, String model) {}

    /**
     * Trains on {@code users} (user_id, long_items, features).
     *
     * @param steps optimizer steps per worker
     */
    static Result train(
            Dataset<Row> users,
            CsaVocabulary vocab,
            CsaConfig config,
            CsaOptions o,
            int workers,
            int syncEvery,
            int steps,
            String warehouseRoot,
            Configuration hadoop) {
        String dir =
                new Path(new Path(warehouseRoot, "_staging"), "csa-sync-" + UUID.randomUUID())
                        .toString();
        Worker worker =
                new Worker(
                        vocab,
                        config.toJson(),
                        o,
                        syncEvery,
                        steps,
                        dir,
                        new SerializableConfiguration(hadoop));
        List<Row> rows;
        try {
            rows =
                    users.javaRDD()
                            .repartition(workers)
                            .rdd()
                            .barrier()
                            .mapPartitions(worker, false, ClassTag$.MODULE$.apply(Row.class))
                            .toJavaRDD()
                            .collect();
        } catch (RuntimeException e) {
            delete(dir, hadoop);
            throw e;
        }
        List<StepRecord> zero = new ArrayList<>();
        double lastLossSum = 0;
        long rounds = 0;
        int finished = 0;
        for (Row r : rows) {
            int w = r.getInt(0);
            if (w == 0) {
                zero.add(
                        StepRecord.of(
                                r.getLong(1), r.getDouble(2), r.getDouble(3), r.getDouble(4)));
            }
            if (r.getLong(1) == steps) {
                lastLossSum += r.getDouble(2);
                finished++;
                rounds = r.getLong(5);
            }
        }
        zero.sort(java.util.Comparator.comparingLong(StepRecord::step));
        return new Result(zero, lastLossSum / Math.max(1, finished), rounds, dir + "/final");
    }

    /** Deletes the exchange folder (the final model included) once the driver has loaded it. */
    static void delete(String dir, Configuration hadoop) {
        Path p = new Path(dir);
        try {
            p.getFileSystem(hadoop).delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** One barrier task: rows are (worker, step, loss, lr, grad_norm, rounds). */
    static final class Worker
            extends AbstractFunction1<
                    scala.collection.Iterator<Row>, scala.collection.Iterator<Row>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final CsaVocabulary vocab;
        private final String configJson;
        private final CsaOptions o;
        private final int syncEvery;
        private final int steps;
        private final String dir;
        private final SerializableConfiguration hadoop;

        Worker(
                CsaVocabulary vocab,
                String configJson,
                CsaOptions o,
                int syncEvery,
                int steps,
                String dir,
                SerializableConfiguration hadoop) {
            this.vocab = vocab;
            this.configJson = configJson;
            this.o = o;
            this.syncEvery = syncEvery;
            this.steps = steps;
            this.dir = dir;
            this.hadoop = hadoop;
        }

        @Override
        public scala.collection.Iterator<Row> apply(scala.collection.Iterator<Row> input) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int me = ctx.partitionId();
            List<int[]> sequences = new ArrayList<>();
            List<int[]> features = new ArrayList<>();
            input.foreach(
                    r -> {
                        sequences.add(vocab.items(r.getList(1)));
                        features.add(vocab.features(r.isNullAt(2) ? Map.of() : r.getJavaMap(2)));
                        return null;
                    });
            CsaConfig config = CsaConfig.parse(configJson, "csa worker " + me);
            FileExchange exchange = new FileExchange(dir, hadoop.value(), ctx);
            ParameterAveraging averaging = new ParameterAveraging(exchange, syncEvery, steps);
            TrainingLog log = new TrainingLog();
            try (CsaEncoder encoder = CsaEncoder.create(config)) {
                new CsaTrainer(encoder)
                        .train(
                                sequences,
                                features,
                                o.trainingOptions(steps, o.seed() + 1_000_003L * me),
                                log,
                                averaging);
                if (me == 0) {
                    java.nio.file.Path local = Files.createTempDirectory("coea-csa-barrier-");
                    encoder.save(local);
                    ModelFiles.publish(local, new Path(dir, "final").toString(), hadoop.value());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("csa worker " + me + ": cannot save the model", e);
            }
            List<Row> out = new ArrayList<>();
            for (StepRecord r : log.records()) {
                out.add(
                        RowFactory.create(
                                me,
                                r.step(),
                                r.loss(),
                                r.learningRate(),
                                r.gradNorm(),
                                averaging.rounds()));
            }
            return scala.jdk.javaapi.CollectionConverters.asScala(out.iterator());
        }
    }

    /**
     * {@link ParameterAveraging.Exchange} through a shared file system: each worker writes its
     * parameters as {@code round-<r>/worker-<i>.safetensors}, all meet at a barrier, read every
     * file, meet again, and worker 0 deletes the round.
     */
    static final class FileExchange implements ParameterAveraging.Exchange {
        private final String dir;
        private final Configuration hadoop;
        private final BarrierTaskContext ctx;

        FileExchange(String dir, Configuration hadoop, BarrierTaskContext ctx) {
            this.dir = dir;
            this.hadoop = hadoop;
            this.ctx = ctx;
        }

        @Override
        public List<Map<String, float[]>> allGather(long round, Map<String, float[]> mine) {
            int me = ctx.partitionId();
            int n = ctx.getTaskInfos().length;
            Path roundDir = new Path(dir, "round-" + round);
            try {
                FileSystem fs = roundDir.getFileSystem(hadoop);
                java.nio.file.Path local = Files.createTempFile("coea-csa-sync-", ".safetensors");
                Map<String, TensorData> tensors = new LinkedHashMap<>();
                mine.forEach(
                        (name, v) ->
                                tensors.put(
                                        name,
                                        TensorData.ofFloats(
                                                v, new long[] {v.length}, SafetensorsDtype.F32)));
                SafetensorsWriter.write(local, tensors);
                Path tmp = new Path(roundDir, "." + worker(me) + ".tmp");
                fs.copyFromLocalFile(true, true, new Path(local.toUri()), tmp);
                if (!fs.rename(tmp, new Path(roundDir, worker(me)))) {
                    throw new IOException("cannot rename " + tmp);
                }
                ctx.barrier();
                List<Map<String, float[]>> all = new ArrayList<>();
                for (int w = 0; w < n; w++) {
                    all.add(w == me ? mine : read(fs, new Path(roundDir, worker(w))));
                }
                ctx.barrier();
                if (me == 0) {
                    fs.delete(roundDir, true);
                }
                return all;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "csa worker " + me + ": parameter exchange in " + roundDir + " failed", e);
            }
        }

        private static String worker(int w) {
            return "worker-" + w + ".safetensors";
        }

        private static Map<String, float[]> read(FileSystem fs, Path file) throws IOException {
            java.nio.file.Path local = Files.createTempFile("coea-csa-sync-", ".safetensors");
            try {
                fs.copyToLocalFile(false, file, new Path(local.toUri()), true);
                Map<String, float[]> out = new LinkedHashMap<>();
                try (SafetensorsFile f = SafetensorsFile.open(local)) {
                    for (String name : f.names()) {
                        FloatBuffer b = f.bytes(name).asFloatBuffer();
                        float[] v = new float[b.remaining()];
                        b.get(v);
                        out.put(name, v);
                    }
                }
                return out;
            } finally {
                Files.deleteIfExists(local);
            }
        }
    }
}
