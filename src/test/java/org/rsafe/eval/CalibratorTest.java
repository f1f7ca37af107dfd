package org.rsafe.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.trace.Verdict;
import org.rsafe.util.UserException;

class CalibratorTest {

    @TempDir
    Path dir;

    private final Policy policy = BatchTestData.policy();

    private static CalibrationRow row(int n, boolean unsafe, double v, double f) {
        return new CalibrationRow(n, "id" + n, unsafe ? Verdict.UNSAFE : Verdict.SAFE,
                unsafe ? List.of(v >= f ? "V" : "F") : List.of(), Map.of("V", v, "F", f));
    }

    /** Overlapping score distributions: unsafe rows score higher on one clause on average, with noise. */
    private static List<CalibrationRow> noisyRows(long seed, int n) {
        Random r = new Random(seed);
        List<CalibrationRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean unsafe = r.nextDouble() < 0.4;
            double hot = unsafe ? 0.45 + 0.4 * r.nextDouble() : 0.15 + 0.5 * r.nextDouble();
            double cold = 0.5 * r.nextDouble();
            rows.add(r.nextBoolean() ? row(i, unsafe, hot, cold) : row(i, unsafe, cold, hot));
        }
        return rows;
    }

    private static CalibrationConfig config(CalibrationTarget target) {
        return CalibrationConfig.defaults().withTarget(target);
    }

    /** Confusion counts of fixed per-clause thresholds on rows, computed the plain way. */
    private static CalibrationPoint counts(List<CalibrationRow> rows, double tv, double tf) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (CalibrationRow r : rows) {
            boolean flagged = r.score("V") >= tv || r.score("F") >= tf;
            if (r.unsafe()) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new CalibrationPoint(tv, tp, fp, fn, tn);
    }

    @Test
    void theGlobalThresholdHasTheBestF1OfEveryGridThresholdOnTheFitRows() {
        for (long seed = 1; seed <= 5; seed++) {
            List<CalibrationRow> rows = noisyRows(seed, 300);
            Calibrator calibrator = new Calibrator(config(CalibrationTarget.F1));
            List<CalibrationRow> fit = calibrator.split(rows).fit();

            CalibrationResult result = calibrator.calibrate(policy, 0.5, rows);

            double bestF1 = 0;
            for (int j = 0; j <= 1000; j++) {
                bestF1 = Math.max(bestF1, counts(fit, j / 1000.0, j / 1000.0).f1());
            }
            double t = result.global().threshold();
            assertThat(result.global().f1()).isEqualTo(bestF1);
            assertThat(counts(fit, t, t).f1()).isEqualTo(bestF1);
        }
    }

    @Test
    void separableScoresGetAThresholdInTheMiddleOfTheGap() {
        List<CalibrationRow> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean unsafe = i % 2 == 0;
            double top = unsafe ? 0.70 + 0.005 * i : 0.20 + 0.005 * i;   // unsafe >= 0.70, safe <= 0.395
            rows.add(row(i, unsafe, top, 0.05));
        }

        CalibrationResult result = new Calibrator(config(CalibrationTarget.F1)).calibrate(policy, 0.5, rows);

        assertThat(result.global().threshold()).isGreaterThan(0.395).isLessThanOrEqualTo(0.70);
        assertThat(result.global().f1()).isEqualTo(1.0);
        assertThat(result.holdoutAfter().f1()).isEqualTo(1.0);
    }

    @Test
    void theHoldOutPartIsDisjointFromTheFitPartAndKeepsTheLabelMix() {
        List<CalibrationRow> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(row(i, i < 30, 0.5, 0.5));
        }

        Calibrator.Split split = new Calibrator(CalibrationConfig.defaults()).split(rows);

        Set<Long> fit = new HashSet<>();
        split.fit().forEach(r -> fit.add(r.row()));
        assertThat(split.holdout()).noneMatch(r -> fit.contains(r.row()));
        assertThat(split.fit().size() + split.holdout().size()).isEqualTo(100);
        assertThat(split.holdout().stream().filter(CalibrationRow::unsafe).count()).isEqualTo(15);
        assertThat(split.holdout().stream().filter(r -> !r.unsafe()).count()).isEqualTo(35);
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        List<CalibrationRow> rows = noisyRows(7, 200);
        CalibrationConfig a = CalibrationConfig.defaults();
        CalibrationConfig b = new CalibrationConfig(CalibrationTarget.F1, 0.5, 43, 0.005, 3);

        assertThat(new Calibrator(a).split(rows)).isEqualTo(new Calibrator(a).split(rows));
        assertThat(new Calibrator(b).split(rows).holdout()).isNotEqualTo(new Calibrator(a).split(rows).holdout());
    }

    @Test
    void anFprTargetKeepsTheBudgetOnTheFitRowsWithTheHighestRecallItAllows() {
        List<CalibrationRow> rows = noisyRows(3, 400);
        Calibrator calibrator = new Calibrator(config(CalibrationTarget.maxFpr(0.05)));
        List<CalibrationRow> fit = calibrator.split(rows).fit();

        CalibrationResult result = calibrator.calibrate(policy, 0.5, rows);

        double bestRecall = 0;
        for (int j = 0; j <= 1000; j++) {
            CalibrationPoint p = counts(fit, j / 1000.0, j / 1000.0);
            if (p.fpr() <= 0.05) {
                bestRecall = Math.max(bestRecall, p.recall());
            }
        }
        assertThat(result.global().fpr()).isLessThanOrEqualTo(0.05);
        assertThat(result.global().recall()).isEqualTo(bestRecall);
        assertThat(result.fitAfter().fpr()).isLessThanOrEqualTo(0.05);
        assertThat(result.fitAfter().recall()).isGreaterThanOrEqualTo(bestRecall);
    }

    /** Clause V also scores high on safe rows; clause F scores low even on its unsafe rows. */
    private static List<CalibrationRow> clausesOnDifferentScales() {
        List<CalibrationRow> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double jitter = (i % 10) / 100.0;
            switch (i % 3) {
                case 0 -> rows.add(row(i, true, 0.80 + jitter, 0.10));          // violent: V high
                case 1 -> rows.add(row(i, true, 0.20, 0.42 + jitter / 2));      // fraud: F moderate
                default -> rows.add(row(i, false, 0.58 + jitter, 0.10 + jitter)); // safe but V-ish
            }
        }
        return rows;
    }

    @Test
    void aClauseWhoseScoresRunHighGetsItsOwnThresholdAndTheHeldOutF1Rises() {
        CalibrationResult result = new Calibrator(config(CalibrationTarget.F1)).calibrate(policy, 0.5, clausesOnDifferentScales());

        assertThat(result.after().get("V")).isGreaterThan(0.67).isLessThanOrEqualTo(0.80);
        assertThat(result.after().get("F")).isGreaterThan(0.19).isLessThanOrEqualTo(0.42);
        assertThat(result.fitAfter().f1()).isEqualTo(1.0);
        assertThat(result.holdoutAfter().f1()).isEqualTo(1.0);
        assertThat(result.holdoutBefore().f1()).isLessThan(result.holdoutAfter().f1());
        assertThat(result.before()).containsEntry("V", 0.5).containsEntry("F", 0.5);
    }

    @Test
    void aClauseKeepsTheGlobalThresholdWhenItsOwnWouldGainLessThanTheMinimum() {
        CalibrationConfig strict = new CalibrationConfig(CalibrationTarget.F1, 0.5, 42, 1.0, 3);

        CalibrationResult result = new Calibrator(strict).calibrate(policy, 0.5, clausesOnDifferentScales());

        assertThat(result.after().values()).containsOnly(result.global().threshold());
    }

    @Test
    void calibrationNeedsSafeAndUnsafeRows() {
        List<CalibrationRow> onlyUnsafe = List.of(row(1, true, 0.9, 0.1), row(2, true, 0.8, 0.1), row(3, true, 0.7, 0.2));

        assertThatThrownBy(() -> new Calibrator(CalibrationConfig.defaults()).calibrate(policy, 0.5, onlyUnsafe))
                .isInstanceOf(UserException.class).hasMessageContaining("no safe rows");
    }

    @Test
    void theReportSaysHowManyRowsWereFittedAndHowManyHeldOut() {
        CalibrationResult result = new Calibrator(CalibrationConfig.defaults()).calibrate(policy, 0.5, noisyRows(5, 100));

        String text = result.render(15);

        assertThat(text).contains("fitted on " + result.fitRows() + " rows, reported on " + result.holdoutRows() + " held-out rows");
        assertThat(result.fitRows() + result.holdoutRows()).isEqualTo(100);
        assertThat(text).contains("<- chosen", "Held-out rows", "threshold precision");
        assertThat(result.curveCsv().lines().count()).isEqualTo(result.curve().size() + 1);
    }

    @Test
    void writtenThresholdsKeepThePolicyCommentsAndReproduceTheFittedVerdicts() throws IOException {
        Path file = BatchTestData.writePolicy(dir, BatchTestData.POLICY_YAML);
        Policy loaded = PolicyLoader.loadOrThrow(file);
        List<CalibrationRow> rows = noisyRows(11, 300);
        Calibrator calibrator = new Calibrator(CalibrationConfig.defaults());
        CalibrationResult result = calibrator.calibrate(loaded, 0.5, rows);

        CalibrationWriter.write(file, loaded, result.after());

        String text = Files.readString(file);
        assertThat(text).contains("# Test policy: two clauses", "# violence first", "severity: medium   # keep medium");
        Policy reread = PolicyLoader.loadOrThrow(file);
        double tv = reread.clause("V").map(Clause::threshold).orElseThrow();
        double tf = reread.clause("F").map(Clause::threshold).orElseThrow();
        assertThat(tv).isEqualTo(result.after().get("V"));
        assertThat(tf).isEqualTo(result.after().get("F"));
        CalibrationPoint refit = counts(calibrator.split(rows).fit(), tv, tf);
        assertThat(List.of(refit.tp(), refit.fp(), refit.fn(), refit.tn()))
                .containsExactly(result.fitAfter().tp(), result.fitAfter().fp(), result.fitAfter().fn(), result.fitAfter().tn());
    }

    @Test
    void thresholdsAreNotWrittenOverAPolicyEditedMeanwhile() throws IOException {
        Path file = BatchTestData.writePolicy(dir, BatchTestData.POLICY_YAML);
        Policy loaded = PolicyLoader.loadOrThrow(file);
        Files.writeString(file, BatchTestData.POLICY_YAML + "# edited by hand\n");

        assertThatThrownBy(() -> CalibrationWriter.write(file, loaded, Map.of("V", 0.6)))
                .isInstanceOf(UserException.class).hasMessageContaining("changed");
        assertThat(Files.readString(file)).endsWith("# edited by hand\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            f1         | F1            | 1.0
            F1         | F1            | 1.0
            fpr=0.05   | RECALL_AT_FPR | 0.05
            fpr<=0.1   | RECALL_AT_FPR | 0.1
            """)
    void targetsReadTheirCommandLineForm(String text, CalibrationTarget.Kind kind, double budget) {
        CalibrationTarget t = CalibrationTarget.parse(text);

        assertThat(t.kind()).isEqualTo(kind);
        assertThat(t.maxFpr()).isEqualTo(budget);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            fpr=0      | between 0 and 1
            fpr=1.5    | between 0 and 1
            fpr=abc    | no number
            recall     | expected 'f1', 'fpr=<budget>' (e.g. fpr=0.05) or 'precision=<floor>'
            precision=1 | between 0 and 1
            precision=x | no number after 'precision='
            """)
    void badTargetsAreUserErrors(String text, String message) {
        assertThatThrownBy(() -> CalibrationTarget.parse(text)).isInstanceOf(UserException.class).hasMessageContaining(message);
    }
}
