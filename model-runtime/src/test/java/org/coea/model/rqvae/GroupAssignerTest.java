package org.coea.model.rqvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.coea.common.model.GroupCsid;
import org.junit.jupiter.api.Test;

/** The G rule, representatives, default CSID and quality figures against naive computations. */
class GroupAssignerTest {

    /** 12 CSIDs with 1..12 users each, users around a random centre per CSID, shuffled. */
    record Population(int[][] codes, float[][] vectors) {}

    static Population population(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<int[]> codes = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            int[] csid = {c % 4, c / 4 + 7};
            float[] centre = new float[4];
            for (int d = 0; d < 4; d++) {
                centre[d] = (float) (RqVaeFixtures.gaussian(r) * 3);
            }
            for (int i = 0; i <= c; i++) {
                float[] v = new float[4];
                for (int d = 0; d < 4; d++) {
                    v[d] = (float) (centre[d] + RqVaeFixtures.gaussian(r) * 0.5);
                }
                codes.add(csid);
                vectors.add(v);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int[][] c = new int[order.size()][];
        float[][] v = new float[order.size()][];
        for (int i = 0; i < order.size(); i++) {
            c[i] = codes.get(order.get(i));
            v[i] = vectors.get(order.get(i));
        }
        return new Population(c, v);
    }

    static double[] naiveMean(float[][] vectors, List<Integer> users) {
        double[] mu = new double[vectors[0].length];
        for (int u : users) {
            for (int d = 0; d < mu.length; d++) {
                mu[d] += vectors[u][d] / (double) users.size();
            }
        }
        return mu;
    }

    static double naiveDistance(float[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return Math.sqrt(s);
    }

    static double naiveDistance(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += (a[d] - b[d]) * (a[d] - b[d]);
        }
        return Math.sqrt(s);
    }

    @Test
    void mergesTheSmallestCsidsIntoTheNearestSurvivorUntilGRemain() {
        Population p = population(1);
        GroupAssignment a =
                GroupAssigner.builder()
                        .setGroups(5)
                        .optRepresentatives(3)
                        .build()
                        .assign(p.codes(), p.vectors());

        Map<GroupCsid, List<Integer>> own = new TreeMap<>();
        for (int u = 0; u < p.codes().length; u++) {
            own.computeIfAbsent(GroupCsid.of(p.codes()[u]), k -> new ArrayList<>()).add(u);
        }
        List<GroupCsid> bySize = new ArrayList<>(own.keySet());
        bySize.sort(Comparator.comparingInt((GroupCsid c) -> own.get(c).size()).reversed());
        List<GroupCsid> survivors = bySize.subList(0, 5);
        Map<GroupCsid, GroupCsid> target = new HashMap<>();
        for (GroupCsid c : own.keySet()) {
            GroupCsid best = null;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (GroupCsid s : survivors) {
                double d =
                        naiveDistance(
                                naiveMean(p.vectors(), own.get(c)),
                                naiveMean(p.vectors(), own.get(s)));
                if (d < bestDistance) {
                    bestDistance = d;
                    best = s;
                }
            }
            target.put(c, best);
        }

        assertThat(a.distinctCsids()).isEqualTo(12);
        assertThat(a.groupCount()).isEqualTo(5);
        assertThat(a.belowTarget()).isFalse();
        assertThat(a.groups())
                .extracting(GroupAssignment.Group::csid)
                .containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(a.merges()).hasSize(7);
        for (GroupAssignment.Merge m : a.merges()) {
            assertThat(m.into()).as("%s", m).isEqualTo(target.get(m.from()));
            assertThat(m.users()).isEqualTo(own.get(m.from()).size());
        }
        for (int u = 0; u < p.codes().length; u++) {
            assertThat(a.csidOf(u))
                    .as("user %d", u)
                    .isEqualTo(target.get(GroupCsid.of(p.codes()[u])));
        }
        for (GroupAssignment.Group g : a.groups()) {
            List<Integer> members = new ArrayList<>();
            for (int u = 0; u < p.codes().length; u++) {
                if (a.csidOf(u).equals(g.csid())) {
                    members.add(u);
                }
            }
            assertThat(g.members()).containsExactly(members.stream().mapToInt(i -> i).toArray());
            double[] mu = naiveMean(p.vectors(), members);
            for (int d = 0; d < mu.length; d++) {
                assertThat((double) g.centroid()[d]).isCloseTo(mu[d], within(1e-5));
            }
            List<Integer> byDistance = new ArrayList<>(members);
            byDistance.sort(
                    Comparator.comparingDouble((Integer u) -> naiveDistance(p.vectors()[u], mu))
                            .thenComparingInt(u -> u));
            assertThat(g.representatives())
                    .containsExactly(byDistance.subList(0, 3).stream().mapToInt(i -> i).toArray());
        }
        GroupAssignment.Group largest =
                Collections.max(a.groups(), Comparator.comparingInt(GroupAssignment.Group::size));
        assertThat(a.defaultCsid()).isEqualTo(largest.csid());
    }

    @Test
    void fewerCsidsThanGAreAllKeptAndReported() {
        int[][] codes = {{1, 2}, {1, 2}, {3, 0}, {0, 9}, {3, 0}, {3, 0}};
        float[][] v = {{0, 1}, {0, 2}, {5, 5}, {9, 0}, {6, 5}, {5, 6}};
        GroupAssignment a = GroupAssigner.builder().setGroups(50).build().assign(codes, v);
        assertThat(a.groupCount()).isEqualTo(3);
        assertThat(a.belowTarget()).isTrue();
        assertThat(a.merges()).isEmpty();
        assertThat(a.summary()).contains("fewer CSIDs than G");
        assertThat(a.defaultCsid()).isEqualTo(GroupCsid.parse("003-000"));
        assertThat(a.groups())
                .extracting(g -> g.csid().toString())
                .containsExactly("000-009", "001-002", "003-000");
        assertThat(a.groups().get(2).representatives()).hasSize(3);
    }

    @Test
    void defaultCsidTiesGoToTheLowerCsidAndRepresentativeTiesToTheLowerUser() {
        int[][] codes = {{2}, {1}, {2}, {1}, {1}, {2}};
        float[][] v = {{1, 1}, {3, 3}, {1, 1}, {3, 3}, {3, 3}, {1, 1}};
        GroupAssignment a =
                GroupAssigner.builder().setGroups(2).optRepresentatives(2).build().assign(codes, v);
        assertThat(a.defaultCsid()).isEqualTo(GroupCsid.of(1));
        assertThat(a.group(GroupCsid.of(1)).orElseThrow().representatives()).containsExactly(1, 3);
        assertThat(a.group(GroupCsid.of(2)).orElseThrow().representatives()).containsExactly(0, 2);
    }

    @Test
    void usageAndEntropyMatchAHandComputedTable() {
        int[][] codes = {
            {0, 2, 1}, {0, 2, 1}, {0, 2, 1}, {0, 2, 1}, {1, 2, 1}, {1, 2, 1}, {2, 2, 3}, {3, 2, 3}
        };
        // level 0: p = 1/2, 1/4, 1/8, 1/8 -> 1.75 bits, 4 of 4 codes
        // level 1: one code -> 0 bits, 1 of 4
        // level 2: p = 3/4, 1/4 -> 0.811278 bits, 2 of 4
        assertThat(GroupAssigner.codebookUsage(codes, 4)).containsExactly(1.0, 0.25, 0.5);
        List<Double> h = GroupAssigner.codeEntropyBits(codes);
        assertThat(h.get(0)).isCloseTo(1.75, within(1e-12));
        assertThat(h.get(1)).isEqualTo(0.0);
        assertThat(h.get(2))
                .isCloseTo(
                        -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2),
                        within(1e-12));

        float[][] v = new float[codes.length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new float[] {i + 1, 1};
        }
        GroupAssigner assigner = GroupAssigner.builder().setGroups(10).build();
        GroupAssignment a = assigner.assign(codes, v);
        GroupQuality q = assigner.quality(a, codes, v, 4);
        assertThat(q.groups()).isEqualTo(4);
        assertThat(q.distinctCsids()).isEqualTo(4);
        assertThat(q.largestGroupShare()).isEqualTo(0.5);
        assertThat(q.codebookUsage()).containsExactly(1.0, 0.25, 0.5);
    }

    /**
     * Users of a group all point one way (with random lengths), so every cosine the estimator can
     * draw is known: 1 within a group, and the angle between the group directions across groups.
     */
    @Test
    void cosineEstimatorMatchesKnownAnglesWhateverItSamples() {
        float[][] directions = {{1, 0}, {0, 1}, {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)}};
        int n = 300;
        int[][] codes = new int[n][];
        float[][] v = new float[n][];
        SplittableRandom r = new SplittableRandom(3);
        for (int u = 0; u < n; u++) {
            int g = u % 3;
            codes[u] = new int[] {g};
            double length = 0.5 + r.nextDouble() * 5;
            v[u] =
                    new float[] {
                        (float) (directions[g][0] * length), (float) (directions[g][1] * length)
                    };
        }
        GroupAssigner assigner = GroupAssigner.builder().setGroups(3).optSeed(11).build();
        GroupQuality q = assigner.quality(assigner.assign(codes, v), codes, v, 3);
        assertThat(q.cosineGroups()).isEqualTo(3);
        assertThat(q.intraCosine()).isCloseTo(1.0, within(1e-6));
        // ordered pairs: (0,1) (1,0) -> 0; the four pairs with the diagonal -> sqrt(1/2)
        assertThat(q.interCosine()).isCloseTo(4 * Math.sqrt(0.5) / 6, within(1e-6));
    }

    @Test
    void cosineEstimatorDrawsAtMostTenGroupsOfTwoOrMoreUsers() {
        int n = 14 * 4 + 3;
        int[][] codes = new int[n][];
        float[][] v = new float[n][];
        SplittableRandom r = new SplittableRandom(5);
        for (int u = 0; u < n; u++) {
            codes[u] = new int[] {u < 56 ? u / 4 : 20 + u};
            v[u] = new float[] {(float) r.nextDouble(), (float) r.nextDouble(), 1};
        }
        GroupAssigner assigner = GroupAssigner.builder().setGroups(100).build();
        GroupAssignment a = assigner.assign(codes, v);
        assertThat(a.groupCount()).isEqualTo(17);
        assertThat(assigner.quality(a, codes, v, 64).cosineGroups()).isEqualTo(10);
        double[] twice = assigner.cosineSeparation(a, v);
        assertThat(assigner.cosineSeparation(a, v)).containsExactly(twice);

        int[][] singles = {{0}, {1}};
        float[][] sv = {{1, 0}, {0, 1}};
        GroupQuality none = assigner.quality(assigner.assign(singles, sv), singles, sv, 2);
        assertThat(none.cosineGroups()).isZero();
        assertThat(none.intraCosine()).isNaN();
        assertThat(none.interCosine()).isNaN();
    }

    @Test
    void refusesMismatchedInput() {
        GroupAssigner assigner = GroupAssigner.builder().setGroups(2).build();
        assertThatThrownBy(() -> assigner.assign(new int[][] {{1}}, new float[][] {{1}, {2}}))
                .hasMessageContaining("1 code rows but 2 vectors");
        assertThatThrownBy(() -> assigner.assign(new int[][] {{1}, {1, 2}}, new float[2][1]))
                .hasMessageContaining("same number");
        assertThatThrownBy(() -> GroupAssigner.builder().build()).hasMessageContaining("setGroups");
    }
}
