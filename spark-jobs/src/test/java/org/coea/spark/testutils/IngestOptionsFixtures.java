package org.coea.spark.testutils;

import java.nio.file.Path;
import java.util.Optional;
import org.coea.common.ingest.CategoryMapping;
import org.coea.common.synthetic.SyntheticSpec;
import org.coea.common.testutils.Fixtures;
import org.coea.spark.ingest.IngestOptions;

/** Ingest options for tests: one input kind, the default mapping, long-tail share 0.2. */
public final class IngestOptionsFixtures {
    private IngestOptionsFixtures() {}

    /** Reads a MovieLens directory. */
    public static IngestOptions movielens(Path dir, double maxRejectRate) {
        return of(
                IngestOptions.Source.MOVIELENS,
                Optional.of(dir.toString()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Fixtures.smallSyntheticSpec(1),
                maxRejectRate);
    }

    /** Reads a generic click log; {@code users} may be null. */
    public static IngestOptions clicks(Path events, Path items, Path users, double maxRejectRate) {
        return of(
                IngestOptions.Source.CLICKS,
                Optional.empty(),
                Optional.of(events.toString()),
                Optional.of(items.toString()),
                Optional.ofNullable(users).map(Path::toString),
                Fixtures.smallSyntheticSpec(1),
                maxRejectRate);
    }

    /** Runs the generator. */
    public static IngestOptions synthetic(SyntheticSpec spec) {
        return of(
                IngestOptions.Source.SYNTHETIC,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                spec,
                0.001);
    }

    /** The same options with another category mapping. */
    public static IngestOptions withMapping(IngestOptions o, CategoryMapping mapping) {
        return new IngestOptions(
                o.source(),
                o.movielens(),
                o.clicks(),
                o.clicksFormat(),
                o.items(),
                o.users(),
                o.synthetic(),
                mapping,
                o.maxRejectRate(),
                o.longTailShare());
    }

    private static IngestOptions of(
            IngestOptions.Source source,
            Optional<String> movielens,
            Optional<String> clicks,
            Optional<String> items,
            Optional<String> users,
            SyntheticSpec spec,
            double maxRejectRate) {
        return new IngestOptions(
                source,
                movielens,
                clicks,
                IngestOptions.LogFormat.AUTO,
                items,
                users,
                spec,
                CategoryMapping.ALL,
                maxRejectRate,
                0.2);
    }
}
