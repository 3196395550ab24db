package org.coea.flink;

import java.util.List;
import org.coea.common.config.ConfigOption;
import org.coea.common.config.Configuration;

/** One streaming job: a {@code coea flink} subcommand with its own typed options. */
public interface FlinkJob {
    /** The subcommand name, in kebab-case, e.g. {@code ingest-clicks}. */
    String name();

    /** One line saying what the job does, for {@code coea flink --help}. */
    String summary();

    /** The job's options; {@code --help} prints them. */
    List<ConfigOption<?>> options();

    /**
     * Builds and runs the job; returns when a bounded job finishes or an unbounded one is
     * cancelled.
     *
     * @throws IllegalArgumentException for bad options, with a message naming them
     */
    void run(Configuration conf) throws Exception;
}
