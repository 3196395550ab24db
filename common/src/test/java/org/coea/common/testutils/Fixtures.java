package org.coea.common.testutils;

import org.coea.common.synthetic.SyntheticSpec;

/** Small seeded fixtures shared by the tests of every module (exported in the test-jar). */
public final class Fixtures {
    private Fixtures() {}

    /** A small synthetic spec: 200 users, 400 items, 30 categories, 8 groups, 10 days. */
    public static SyntheticSpec smallSyntheticSpec(long seed) {
        return new SyntheticSpec(
                200, 400, 30, 20, 1.1, 8, 4, 0.1, 10, SyntheticSpec.DEFAULT_START, 0.5, seed);
    }
}
