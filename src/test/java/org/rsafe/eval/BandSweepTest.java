package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rsafe.policy.Policy;
import org.rsafe.trace.Verdict;

/**
 * The band step of the decided-precision objective on synthetic stored rows: each band's counts are the replayed
 * verdicts', and the chosen band is the narrowest that keeps the floor, or the most precise when none does. The
 * engine's score-to-margin mapping is stood in for by a straight line ({@code bar(t) = 10 t}); the real engine's
 * replay is checked in ReviewBandCalibrationTest.
 */
class BandSweepTest {
    private static final ReviewModel LINE = new ReviewModel(t -> 10 * t, 0.25);

    private final Policy policy = BatchTestData.policy();

    /**
     * Unsafe rows mostly far past the bar; safe rows (and a {@code noise} share of unsafe ones) that reach it sit
     * just past it, so a band turns the nearest of them into REVIEW.
     */
    private static List<CalibrationRow> rows(long seed, int n, double noise) {
        Random r = new Random(seed);
        List<CalibrationRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean unsafe = r.nextDouble() < 0.4;
            double v = unsafe ? 0.5 + 0.45 * r.nextDouble() : 0.1 + 0.6 * r.nextDouble();
            // bar(t) = 10 t, so a row that reaches t is REVIEW at band b iff 10 (v - t) + (z - 10 v) < b.
            double z = unsafe && r.nextDouble() > noise ? 10 * v + 2 + r.nextDouble() : 10 * v + 0.8 * r.nextDouble();
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put("V", v);
            scores.put("F", 0.0);
            Map<String, Double> reviewZ = new LinkedHashMap<>();
            reviewZ.put("V", z);
            reviewZ.put("F", Double.POSITIVE_INFINITY);
            rows.add(new CalibrationRow(i, "id" + i, unsafe ? Verdict.UNSAFE : Verdict.SAFE, List.of(), scores,
                    reviewZ));
        }
        return rows;
    }

    private static CalibrationPoint replayed(List<CalibrationRow> rows, Map<String, Double> thresholds, double band) {
        double[] t = {thresholds.get("V"), thresholds.get("F")};
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        long review = 0;
        for (Prediction p : Calibrator.predictions(rows, List.of("V", "F"), t, band, LINE)) {
            boolean unsafe = p.gold() == Verdict.UNSAFE;
            switch (p.predicted()) {
                case UNSAFE -> {
                    if (unsafe) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
                case SAFE -> {
                    if (unsafe) {
                        fn++;
                    } else {
                        tn++;
                    }
                }
                default -> review++;
            }
        }
        return new CalibrationPoint(Double.NaN, tp, fp, fn, tn, review);
    }

    private static void assertChoiceFollowsTheRule(CalibrationResult r, Calibrator calibrator, double floor) {
        List<CalibrationResult.BandPoint> curve = r.bandCurve();
        boolean anyMeets = curve.stream().anyMatch(b -> b.counts().precision() >= floor);
        CalibrationResult.BandPoint expected = null;
        for (CalibrationResult.BandPoint b : curve) {
            double p = Double.isNaN(b.counts().precision()) ? 0 : b.counts().precision();
            if (anyMeets) {
                if (p >= floor && expected == null) {
                    expected = b;
                }
            } else if (expected == null || p > expected.counts().precision()) {
                expected = b;
            }
        }
        assertThat(r.bandAfter()).isEqualTo(expected.band());
        assertThat(calibrator.bandObjective(expected.counts().precision(), expected.counts().coverage()))
                .isEqualTo(anyMeets ? expected.counts().coverage() : -1.0 - (floor - expected.counts().precision()));
    }

    @Test
    void everyBandsCountsAreTheReplayedVerdictsAndTheNarrowestBandThatKeepsTheFloorIsChosen() {
        List<CalibrationRow> rows = rows(7, 400, 0.1);
        Calibrator calibrator = new Calibrator(CalibrationConfig.defaults()
                .withTarget(CalibrationTarget.minPrecision(0.9)));

        CalibrationResult r = calibrator.calibrate(policy, 0.5, rows, LINE);

        assertThat(r.tunedBand()).isTrue();
        assertThat(r.bandBefore()).isEqualTo(0.25);
        assertThat(r.bandCurve()).extracting(CalibrationResult.BandPoint::band).startsWith(0.0).endsWith(1.0)
                .hasSize(21);
        List<CalibrationRow> fit = calibrator.split(rows).fit();
        for (CalibrationResult.BandPoint b : r.bandCurve()) {
            assertThat(b.counts()).as("band %s", b.band()).isEqualTo(replayed(fit, r.after(), b.band()));
        }
        assertThat(r.bandCurve().get(0).counts().coverage()).isEqualTo(1.0);
        assertThat(r.bandCurve().get(20).counts().coverage()).isLessThan(1.0);
        assertChoiceFollowsTheRule(r, calibrator, 0.9);
        assertThat(r.bandAfter()).isGreaterThan(0.0);
        assertThat(r.holdoutAfter().review().rows()).isEqualTo(
                (int) replayed(calibrator.split(rows).holdout(), r.after(), r.bandAfter()).reviewed());
    }

    @Test
    void whenNoBandKeepsTheFloorTheMostPreciseIsChosen() {
        List<CalibrationRow> rows = rows(11, 400, 0.6);
        Calibrator calibrator = new Calibrator(CalibrationConfig.defaults()
                .withTarget(CalibrationTarget.minPrecision(0.999)));

        CalibrationResult r = calibrator.calibrate(policy, 0.5, rows, LINE);

        assertThat(r.bandCurve()).noneMatch(b -> b.counts().precision() >= 0.999);
        assertChoiceFollowsTheRule(r, calibrator, 0.999);
    }

    @Test
    void aBandOffTheGridIsTriedToo() {
        assertThat(Calibrator.bandGrid(0.25)).hasSize(21);
        assertThat(Calibrator.bandGrid(0.33)).hasSize(22).contains(0.33);
    }
}
