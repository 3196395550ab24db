package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.coea.model.pco.NoveltyModel;
import org.coea.model.pco.PcoPrompt;
import org.coea.model.pco.Proposal;
import org.coea.model.pco.RelevanceModel;
import org.coea.spark.SparkRows;

/**
 * Candidate generation and scoring over the distinct (CSID, short-term set) keys: the Novelty model
 * proposes N categories outside the set (Eq. 10), the Relevance model scores them (Eq. 13), those
 * with s >= gamma are kept, ranked by score (Eq. 14). Distributed with {@code mapPartitions}; each
 * executor JVM loads a model directory once ({@link LoadedModels}) and runs a partition's keys in
 * batches.
 */
final class Candidates {
    private static final int BATCH = 1024;

    private Candidates() {}

    /**
     * The distinct keys of the users' latest states at or before a slice: csid, short_set,
     * short_hash and the recent order of the key's lowest user id (the prompt of the key).
     */
    static Dataset<Row> keys(Dataset<Row> states, int slice) {
        Dataset<Row> latest =
                states.filter(col("slice").leq(slice))
                        .withColumn(
                                "rn",
                                row_number()
                                        .over(
                                                Window.partitionBy("user_id")
                                                        .orderBy(col("slice").desc())))
                        .filter(col("rn").equalTo(1));
        return latest.groupBy("csid", "short_hash")
                .agg(min(struct(col("user_id"), col("recent"), col("short_set"))).as("rep"))
                .select(
                        col("csid"),
                        col("rep.short_set").as("short_set"),
                        col("short_hash"),
                        col("rep.recent").as("recent"));
    }

    /** Proposals per key ({@link PcoTables#CANDIDATE_ROWS}). */
    static Dataset<Row> generate(Dataset<Row> keys, ModelLocation novelty, PcoContext ctx, int n) {
        return keys.select("csid", "short_set", "short_hash", "recent")
                .mapPartitions(
                        (MapPartitionsFunction<Row, Row>)
                                rows -> proposeRows(rows, novelty, ctx, n),
                        Encoders.row(PcoTables.CANDIDATE_ROWS));
    }

    private static Iterator<Row> proposeRows(
            Iterator<Row> rows, ModelLocation dir, PcoContext ctx, int n) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        NoveltyModel model = LoadedModels.novelty(dir.local());
        List<Row> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == BATCH || !rows.hasNext()) {
                List<PcoPrompt> prompts = new ArrayList<>(batch.size());
                for (Row r : batch) {
                    prompts.add(prompt(ctx, r));
                }
                List<List<Proposal>> proposed = model.propose(prompts, n);
                for (int i = 0; i < batch.size(); i++) {
                    Row r = batch.get(i);
                    List<Row> cands = new ArrayList<>();
                    for (Proposal p : proposed.get(i)) {
                        cands.add(RowFactory.create(p.categoryId(), p.logProb()));
                    }
                    out.add(
                            RowFactory.create(
                                    r.getString(0),
                                    r.get(1),
                                    r.getString(2),
                                    r.get(3),
                                    SparkRows.array(cands)));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }

    /** A key row's prompt: columns csid, short_set, short_hash, recent. */
    static PcoPrompt prompt(PcoContext ctx, Row r) {
        return ctx.prompt(r.getString(0), PcoContext.ints(r, 3), PcoContext.ints(r, 1));
    }

    /**
     * Scored, kept and ranked categories per key ({@link PcoTables#NOVEL_ROWS}); without a
     * Relevance model ({@code relevance} null: the no-relevance ablation) every proposal is kept
     * with its Novelty probability as the score.
     */
    static Dataset<Row> score(
            Dataset<Row> candidates,
            ModelLocation relevance,
            PcoContext ctx,
            double gamma,
            String modelVersion,
            long version) {
        return candidates
                .select("csid", "short_set", "short_hash", "recent", "candidates")
                .mapPartitions(
                        (MapPartitionsFunction<Row, Row>)
                                rows ->
                                        scoreRows(
                                                rows, relevance, ctx, gamma, modelVersion, version),
                        Encoders.row(PcoTables.NOVEL_ROWS));
    }

    private static Iterator<Row> scoreRows(
            Iterator<Row> rows,
            ModelLocation dir,
            PcoContext ctx,
            double gamma,
            String modelVersion,
            long version) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        RelevanceModel model = dir == null ? null : LoadedModels.relevance(dir.local());
        List<Row> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(BATCH);
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == BATCH || !rows.hasNext()) {
                List<PcoPrompt> prompts = new ArrayList<>();
                List<Integer> cats = new ArrayList<>();
                List<double[]> logProbs = new ArrayList<>();
                for (Row r : batch) {
                    PcoPrompt p = prompt(ctx, r);
                    List<Row> cs = r.getList(4);
                    double[] lp = new double[cs.size()];
                    for (int k = 0; k < cs.size(); k++) {
                        prompts.add(p);
                        cats.add(cs.get(k).getInt(0));
                        lp[k] = cs.get(k).getDouble(1);
                    }
                    logProbs.add(lp);
                }
                double[] scores =
                        model == null
                                ? null
                                : model.score(
                                        prompts,
                                        cats.stream().mapToInt(Integer::intValue).toArray());
                int at = 0;
                for (int i = 0; i < batch.size(); i++) {
                    Row r = batch.get(i);
                    List<Ranked> kept = new ArrayList<>();
                    for (double lp : logProbs.get(i)) {
                        double s = scores == null ? Math.exp(lp) : scores[at];
                        if (scores == null || s >= gamma) {
                            kept.add(new Ranked(cats.get(at), s));
                        }
                        at++;
                    }
                    kept.sort(
                            (a, b) ->
                                    a.score != b.score
                                            ? Double.compare(b.score, a.score)
                                            : Integer.compare(a.category, b.category));
                    List<Row> ranked = new ArrayList<>(kept.size());
                    for (Ranked k : kept) {
                        ranked.add(RowFactory.create(k.category, k.score));
                    }
                    out.add(
                            RowFactory.create(
                                    r.getString(0),
                                    r.get(1),
                                    r.getString(2),
                                    SparkRows.array(ranked),
                                    modelVersion,
                                    version));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }

    private record Ranked(int category, double score) {}

    /** What {@code novel_categories} holds: keys, mean categories kept per key, keys with none. */
    record Kept(long keys, double meanKept, long emptyKeys) {
        static Kept of(Dataset<Row> novel) {
            Row s =
                    novel.agg(
                                    org.apache.spark.sql.functions.count("*"),
                                    org.apache.spark.sql.functions.avg(
                                            org.apache.spark.sql.functions.size(
                                                    org.apache.spark.sql.functions.col(
                                                            "categories"))),
                                    org.apache.spark.sql.functions.sum(
                                            org.apache
                                                    .spark
                                                    .sql
                                                    .functions
                                                    .when(
                                                            org.apache
                                                                    .spark
                                                                    .sql
                                                                    .functions
                                                                    .size(
                                                                            org.apache.spark.sql
                                                                                    .functions.col(
                                                                                    "categories"))
                                                                    .equalTo(0),
                                                            1)
                                                    .otherwise(0)))
                            .first();
            return new Kept(
                    s.getLong(0),
                    s.isNullAt(1) ? 0 : s.getDouble(1),
                    s.isNullAt(2) ? 0 : s.getLong(2));
        }
    }
}
