package org.coea.spark;

import java.util.List;
import java.util.Optional;
import org.coea.spark.csa.CsaJob;
import org.coea.spark.eval.EvaluateJob;
import org.coea.spark.groups.GroupsJob;
import org.coea.spark.groups.ProfilesJob;
import org.coea.spark.ingest.IngestJob;
import org.coea.spark.pco.GenerateJob;
import org.coea.spark.pco.NoveltyTrainJob;
import org.coea.spark.pco.PcoCycleJob;
import org.coea.spark.pco.PcoDatasetsJob;
import org.coea.spark.pco.RelevanceTrainJob;
import org.coea.spark.pco.ScoreJob;
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
                new ProfilesJob(),
                new PcoDatasetsJob(),
                new NoveltyTrainJob(),
                new RelevanceTrainJob(),
                new GenerateJob(),
                new ScoreJob(),
                new StoreJob(),
                new PcoCycleJob(),
                new EvaluateJob());
    }

    /** Every stage a subcommand can run, for lookup and help: the pipeline's. */
    public static List<Stage> all() {
        return pipeline(false);
    }

    /** A stage by subcommand name. */
    public static Optional<Stage> byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
