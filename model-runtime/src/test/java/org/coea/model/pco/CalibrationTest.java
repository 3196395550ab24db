package org.coea.model.pco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void recoversTheLogisticModelThatMadeTheLabels() {
        // Labels drawn from P(y = 1 | r) = sigmoid(2 r - 1): the fit must find (2, -1).
        SplittableRandom rnd = new SplittableRandom(3);
        java.util.List<Double> pos = new java.util.ArrayList<>();
        java.util.List<Double> neg = new java.util.ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            double r = rnd.nextDouble(-4, 4);
            boolean y = rnd.nextDouble() < 1 / (1 + Math.exp(-(2 * r - 1)));
            (y ? pos : neg).add(r);
        }
        Calibration c =
                Calibration.fit(
                        pos.stream().mapToDouble(Double::doubleValue).toArray(),
                        neg.stream().mapToDouble(Double::doubleValue).toArray());
        assertThat(c.scale()).isCloseTo(2.0, within(0.05));
        assertThat(c.offset()).isCloseTo(-1.0, within(0.05));
    }

    @Test
    void aRewardThatIsShiftedGetsTheShiftBack() {
        // Pairwise training leaves rewards shifted by an arbitrary constant: the calibrated scores
        // of the same pairs must not depend on it.
        double[] pos = {1.2, 0.7, 2.0, -0.1, 0.9};
        double[] neg = {0.1, -0.8, 0.4, 0.3, -1.5};
        double[] posShifted = pos.clone();
        double[] negShifted = neg.clone();
        for (int i = 0; i < pos.length; i++) {
            posShifted[i] -= 7;
            negShifted[i] -= 7;
        }
        Calibration a = Calibration.fit(pos, neg);
        Calibration b = Calibration.fit(posShifted, negShifted);
        for (double r : pos) {
            assertThat(b.apply(r - 7)).isCloseTo(a.apply(r), within(1e-6));
        }
        // Indistinguishable sides: every score is one half.
        Calibration flat = Calibration.fit(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertThat(flat.apply(2)).isCloseTo(0.5, within(1e-6));
    }
}
