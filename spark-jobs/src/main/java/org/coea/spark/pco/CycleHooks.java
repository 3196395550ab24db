package org.coea.spark.pco;

/**
 * Called by {@code pco-cycle} after each phase of a cycle: the seam where tests inject a crash to
 * check that a killed run resumes to the same registry and store.
 */
interface CycleHooks {
    /** No hook. */
    CycleHooks NONE = (cycle, phase) -> {};

    /** Runs after {@code phase} of {@code cycle} completed. */
    void after(int cycle, String phase);
}
