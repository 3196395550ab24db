package org.coea.spark.pco;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;
import org.coea.common.hash.CategorySetHash;
import org.coea.common.metrics.StageMetrics;
import org.coea.common.pco.PcoExamples;
import org.coea.common.pco.PcoExamples.Event;
import org.coea.spark.CommonOptions;
import org.coea.spark.SparkRows;
import org.coea.spark.Stage;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.warehouse.Warehouse;

/**
 * The {@code pco-datasets} stage: the Novelty SFT examples (Eq. 8) and Relevance pairs (Eq. 11) of
 * the training clicks, and the stored behaviour the cycles sample (Eq. 15): every click of the
 * training and validation periods with the short-term categories before it. The validation clicks
 * are cut by time into {@code pco.cycles + 1} equal-count slices, the incremental data D_{t+1} =
 * D_t + slice t that cycle t learns from; per user, {@code pco_states} keeps the short-term state
 * at the end of each slice. Users of {@code pco.holdout} (one in 20, by id hash) are held out for
 * the trainers' accuracy figures.
 */
public final class PcoDatasetsJob implements Stage {
    /** The stage name. */
    public static final String NAME = "pco-datasets";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "PCO data: Novelty SFT examples (Eq. 8), Relevance pairs (Eq. 11), behaviour and time slices for the cycles";
    }

    @Override
    public List<ConfigOption<?>> options() {
        return PcoOptions.OPTIONS;
    }

    @Override
    public StageMetrics run(SparkSession spark, Configuration conf) {
        return run(
                spark,
                new Warehouse(spark, conf.get(CommonOptions.WAREHOUSE)),
                PcoOptions.from(conf));
    }

    /** Runs the stage with resolved options. */
    public StageMetrics run(SparkSession spark, Warehouse w, PcoOptions o) {
        long start = System.nanoTime();
        int shortLength =
                w.readMetrics(SequencesJob.NAME)
                        .map(m -> ((Number) m.get("short_length")).intValue())
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no _metrics/sequences.json under "
                                                        + w.root()
                                                        + ": run `coea sequences` first"));
        Dataset<Row> items = w.read("items", IngestJob.NAME).select("item_id", "categories");
        Dataset<Row> train = w.read("train", SplitJob.NAME).withColumn("slice", lit(0));
        Dataset<Row> valid = w.read("valid", SplitJob.NAME);
        Dataset<Row> validClicks = valid.filter(col("event_type").equalTo("click"));
        int slices = o.cycles() + 1;
        double[] cuts = sliceCuts(validClicks, slices);
        Column slice = lit(slices);
        for (int s = cuts.length - 1; s >= 0; s--) {
            slice = when(col("ts").lt(cuts[s]), lit(s + 1)).otherwise(slice);
        }
        Dataset<Row> events =
                train.select("user_id", "item_id", "ts", "event_type", "slice")
                        .unionByName(
                                validClicks
                                        .withColumn("slice", slice)
                                        .select("user_id", "item_id", "ts", "event_type", "slice"))
                        .join(items, "item_id");
        Dataset<Row> csids = w.read("user_groups", GroupsJob.NAME).select("user_id", "csid");
        Dataset<Row> perUser =
                events.groupBy("user_id")
                        .agg(
                                collect_list(
                                                struct(
                                                        col("slice"),
                                                        col("ts"),
                                                        col("item_id"),
                                                        col("event_type"),
                                                        col("categories")))
                                        .as("events"))
                        .join(csids, "user_id")
                        .select("user_id", "csid", "events")
                        .cache();
        long[] popularity = PcoCycleJob.popularity(w);
        long seed = o.seed();
        Dataset<Row> sft =
                perUser.flatMap(
                        (FlatMapFunction<Row, Row>) r -> novelty(r, shortLength).iterator(),
                        Encoders.row(PcoTables.NOVELTY));
        Dataset<Row> pairs =
                perUser.flatMap(
                        (FlatMapFunction<Row, Row>)
                                r -> relevance(r, shortLength, popularity, seed).iterator(),
                        Encoders.row(PcoTables.PAIRS));
        Dataset<Row> behaviour =
                perUser.flatMap(
                        (FlatMapFunction<Row, Row>) r -> behaviour(r, shortLength).iterator(),
                        Encoders.row(PcoTables.BEHAVIOUR_ROWS));
        Dataset<Row> states =
                perUser.flatMap(
                        (FlatMapFunction<Row, Row>) r -> states(r, shortLength).iterator(),
                        Encoders.row(PcoTables.STATE_ROWS));
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        tables.put(PcoTables.NOVELTY_SFT, sft);
        tables.put(PcoTables.RELEVANCE_PAIRS, pairs);
        tables.put(PcoTables.BEHAVIOUR, behaviour);
        tables.put(PcoTables.STATES, states);
        w.publish(NAME, tables);
        perUser.unpersist();

        Dataset<Row> sftOut = w.read(PcoTables.NOVELTY_SFT, NAME);
        Dataset<Row> pairsOut = w.read(PcoTables.RELEVANCE_PAIRS, NAME);
        Dataset<Row> behaviourOut = w.read(PcoTables.BEHAVIOUR, NAME);
        long users = w.read(PcoTables.STATES, NAME).filter(col("slice").equalTo(0)).count();
        long sftRows = sftOut.count();
        long pairRows = pairsOut.count();
        long exposureNegatives = pairsOut.filter(col("from_exposure")).count();
        long behaviourRows = behaviourOut.count();
        long validRows = behaviourOut.filter(col("slice").gt(0)).count();
        StageMetrics m =
                StageMetrics.builder(NAME)
                        .rowsIn(users)
                        .rowsOut(sftRows + pairRows + behaviourRows)
                        .put("users", users)
                        .put("short_length", (long) shortLength)
                        .put("novelty_examples", sftRows)
                        .put("novelty_holdout", sftOut.filter(col("holdout")).count())
                        .put("relevance_pairs", pairRows)
                        .put("exposure_negatives", exposureNegatives)
                        .put("behaviour_rows", behaviourRows)
                        .put("slices", (long) slices)
                        .put("slice_clicks", validRows)
                        .seconds((System.nanoTime() - start) / 1e9)
                        .build();
        w.writeMetrics(m);
        System.out.printf(
                Locale.ROOT,
                "pco-datasets: %d users, %d SFT examples, %d relevance pairs (%d negatives from exposures), %d behaviour rows, %d validation clicks in %d slices%n",
                users,
                sftRows,
                pairRows,
                exposureNegatives,
                behaviourRows,
                validRows,
                slices);
        return m;
    }

    /** The time cuts that split the validation clicks into equal-count slices. */
    static double[] sliceCuts(Dataset<Row> validClicks, int slices) {
        double[] probs = new double[slices - 1];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = (i + 1) / (double) slices;
        }
        if (probs.length == 0) {
            return new double[0];
        }
        double[] q =
                validClicks
                        .select(col("ts").cast("double").as("ts"))
                        .stat()
                        .approxQuantile("ts", probs, 1e-4);
        return q.length == 0 ? new double[0] : q;
    }

    /** A user's events: clicks (time order, training first) and training exposures. */
    record UserEvents(
            long userId, String csid, List<Event> clicks, int[] slices, List<Event> exposures) {}

    static UserEvents events(Row r) {
        List<Row> all = new ArrayList<>(r.getList(2));
        all.sort(
                Comparator.<Row>comparingInt(e -> e.getInt(0))
                        .thenComparingLong(e -> e.getLong(1))
                        .thenComparingLong(e -> e.getLong(2)));
        List<Event> clicks = new ArrayList<>();
        List<Integer> slices = new ArrayList<>();
        List<Event> exposures = new ArrayList<>();
        for (Row e : all) {
            Event ev = new Event(e.getLong(1), PcoContext.ints(e, 4));
            if ("click".equals(e.getString(3))) {
                clicks.add(ev);
                slices.add(e.getInt(0));
            } else if (e.getInt(0) == 0) {
                exposures.add(ev);
            }
        }
        return new UserEvents(
                r.getLong(0),
                r.getString(1),
                clicks,
                slices.stream().mapToInt(Integer::intValue).toArray(),
                exposures);
    }

    /** One user in twenty, by a hash of the id, is held out. */
    static boolean holdout(long userId) {
        return Math.floorMod(PcoExamples.mix(0x5EED, userId, 0), 20) == 0;
    }

    private static int trainClicks(UserEvents u) {
        int n = 0;
        while (n < u.slices().length && u.slices()[n] == 0) {
            n++;
        }
        return n;
    }

    static List<Row> novelty(Row r, int shortLength) {
        UserEvents u = events(r);
        List<Row> out = new ArrayList<>();
        boolean held = holdout(u.userId());
        for (PcoExamples.NoveltyExample e :
                new PcoExamples(shortLength).novelty(u.clicks().subList(0, trainClicks(u)))) {
            out.add(
                    RowFactory.create(
                            u.userId(),
                            e.position(),
                            u.csid(),
                            SparkRows.array(e.recent()),
                            e.target(),
                            held));
        }
        return out;
    }

    static List<Row> relevance(Row r, int shortLength, long[] popularity, long seed) {
        UserEvents u = events(r);
        List<Row> out = new ArrayList<>();
        boolean held = holdout(u.userId());
        for (PcoExamples.RelevancePair p :
                new PcoExamples(shortLength)
                        .relevance(
                                u.clicks().subList(0, trainClicks(u)),
                                u.exposures(),
                                popularity,
                                seed,
                                u.userId())) {
            out.add(
                    RowFactory.create(
                            u.userId(),
                            p.position(),
                            u.csid(),
                            SparkRows.array(p.recent()),
                            p.positive(),
                            p.negative(),
                            p.fromExposure(),
                            held));
        }
        return out;
    }

    static List<Row> behaviour(Row r, int shortLength) {
        UserEvents u = events(r);
        List<Row> out = new ArrayList<>();
        for (PcoExamples.Behaviour b : new PcoExamples(shortLength).behaviour(u.clicks())) {
            out.add(
                    RowFactory.create(
                            u.userId(),
                            b.position(),
                            u.slices()[b.position()],
                            u.csid(),
                            SparkRows.array(b.recent()),
                            SparkRows.array(b.clicked())));
        }
        return out;
    }

    /**
     * The user's short-term state at the end of slice 0 (training) and of every later slice the
     * user clicked in: recent categories of the last n clicks, their set and hash, every category
     * clicked so far (H_u), and the categories clicked within that slice.
     */
    static List<Row> states(Row r, int shortLength) {
        UserEvents u = events(r);
        List<Row> out = new ArrayList<>();
        int[] slices = u.slices();
        TreeSet<Integer> history = new TreeSet<>();
        LinkedHashSet<Integer> inSlice = new LinkedHashSet<>();
        for (int j = 0; j < slices.length; j++) {
            for (int c : u.clicks().get(j).categories()) {
                history.add(c);
                inSlice.add(c);
            }
            boolean lastOfSlice = j == slices.length - 1 || slices[j + 1] != slices[j];
            if (lastOfSlice) {
                int[] recent =
                        PcoExamples.recent(u.clicks(), Math.max(0, j + 1 - shortLength), j + 1);
                int[] set = Arrays.stream(recent).sorted().toArray();
                out.add(
                        RowFactory.create(
                                u.userId(),
                                slices[j],
                                u.csid(),
                                SparkRows.array(recent),
                                SparkRows.array(set),
                                CategorySetHash.hex(Arrays.stream(set).boxed().toList()),
                                SparkRows.array(
                                        history.stream().mapToInt(Integer::intValue).toArray()),
                                SparkRows.array(
                                        inSlice.stream().mapToInt(Integer::intValue).toArray())));
                inSlice.clear();
            }
        }
        return out;
    }
}
