package org.coea.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.groups.ProfilesJob;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.sequences.SequencesJob;
import org.coea.spark.split.SplitJob;
import org.coea.spark.store.StoreJob;

/** The batch stages, in the order {@code coea run} runs them: the one list of jobs. */
public final class Stages {
    private Stages() {}

    /** Every stage, in pipeline order. */
    public static List<Stage> pipeline(boolean syntheticByDefault) {
        return List.of(
                new IngestJob(syntheticByDefault),
                new SplitJob(),
                new SequencesJob(),
                new CsaJob(),
                new GroupsJob(),
                new ProfilesJob());
    }

    /**
     * Every stage a subcommand can run, for lookup and help: the pipeline, then the stages that
     * {@code coea run} does not run yet ({@code store}, whose input the scoring stage writes).
     */
    public static List<Stage> all() {
        List<Stage> all = new ArrayList<>(pipeline(false));
        all.add(new StoreJob());
        return List.copyOf(all);
    }

    /** A stage by subcommand name. */
    public static Optional<Stage> byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
