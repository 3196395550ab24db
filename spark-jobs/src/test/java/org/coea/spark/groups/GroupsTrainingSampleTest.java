package org.coea.spark.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupsTrainingSampleTest {
    private static float[][] vectors(int n) {
        float[][] v = new float[n][];
        for (int i = 0; i < n; i++) {
            v[i] = new float[] {i};
        }
        return v;
    }

    @Test
    void smallInputsTrainOnEveryUser() {
        float[][] v = vectors(10);
        assertThat(GroupsJob.trainingSample(v, 10, 1)).isSameAs(v);
    }

    @Test
    void largeInputsTrainOnASeededSampleInOriginalOrder() {
        float[][] v = vectors(1000);
        float[][] a = GroupsJob.trainingSample(v, 100, 7);
        assertThat(a.length).isEqualTo(100);
        List<Float> ids = new ArrayList<>();
        for (float[] x : a) {
            ids.add(x[0]);
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(GroupsJob.trainingSample(v, 100, 7)).isEqualTo(a);
        assertThat(GroupsJob.trainingSample(v, 100, 8)).isNotEqualTo(a);
        // a sample, not a prefix
        assertThat(ids.get(ids.size() - 1)).isGreaterThan(500f);
    }
}
