package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;

/** The calibrate command end to end, with the real quick engine on a small synthetic set. */
class CalibrateCommandTest {

    @TempDir
    Path dir;

    @Test
    void calibrateWritesThresholdsIntoThePolicyKeepsCommentsAndSaysWhereItFittedAndReported() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(60));

        // Starting from a threshold that flags almost nothing, so the fitted ones do better on the held-out rows
        // (thresholds that do worse are not written; see the tests below).
        EvalTestData.Run run = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--threshold", "0.99", "-q");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("fitted on 30 rows, reported on 30 held-out rows");
        assertThat(run.out()).contains("Precision/recall curve", "Held-out rows (30, not used for fitting)");
        assertThat(run.out()).contains("wrote 2 threshold(s) to " + policy);
        String text = Files.readString(policy);
        assertThat(text).contains("# Two-clause policy for CLI tests.", "severity: high   # reviewed weekly",
                "# scams come second");
        Policy reread = PolicyLoader.loadOrThrow(policy);
        Matcher chosen = Pattern.compile("(?m)^  W\\s+0\\.990\\s+(\\d\\.\\d{3})").matcher(run.out());
        assertThat(chosen.find()).as(run.out()).isTrue();
        assertThat(reread.clause("W").map(Clause::threshold).orElseThrow()).isEqualTo(Double.parseDouble(chosen.group(1)));
        assertThat(reread.clause("S").map(Clause::threshold)).isPresent();
    }

    @Test
    void dryRunPrintsTheThresholdsButLeavesThePolicyUntouched() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(40));
        Path curve = dir.resolve("curve.csv");

        EvalTestData.Run run = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--dry-run", "--target", "fpr=0.1", "--holdout", "0.25", "--curve", curve.toString(), "-q");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("maximise recall while the false-positive rate stays <= 0.1");
        assertThat(run.out()).contains("fitted on 30 rows, reported on 10 held-out rows");
        assertThat(run.out()).contains("dry run: " + policy + " not changed");
        assertThat(Files.readString(policy)).isEqualTo(EvalTestData.POLICY);
        assertThat(curve).content().startsWith("threshold,precision,recall,fpr,f1,tp,fp,fn,tn\n");
    }

    @Test
    void theScoringRunIsKeptInOutAndReusedWithResume() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(20));
        Path out = dir.resolve("scores");
        String[] args = {"calibrate", "--policy", policy.toString(), "--data", data.toString(), "--out", out.toString(),
            "--dry-run", "-q"};
        EvalTestData.Run first = EvalTestData.cli(args);
        assertThat(first.exit()).as(first.err()).isZero();

        EvalTestData.Run second = EvalTestData.cli(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--resume")).toArray(String[]::new));

        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).contains("resuming: 20 of 20 rows");
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(out.resolve("results.jsonl")).exists();
    }

    @Test
    void badTargetsAndHoldoutsAreUserErrors() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(8));

        EvalTestData.Run badTarget = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--target", "precision");
        EvalTestData.Run badHoldout = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--holdout", "1");

        assertThat(badTarget.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(badTarget.err()).contains("expected 'f1', 'fpr=<budget>' (e.g. fpr=0.05) or 'precision=<floor>'");
        assertThat(badHoldout.exit()).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(badHoldout.err()).contains("--holdout must be between 0 and 1");
    }

    @Test
    void thresholdsThatDoWorseOnTheHeldOutRowsAreNotWrittenAndTheExitCodeSaysSo() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        Path data = CalibrationFixture.writeNoisyData(dir.resolve("noisy.csv"));
        byte[] before = Files.readAllBytes(policy);

        EvalTestData.Run run = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--seed", Long.toString(CalibrationFixture.WORSE_SEED), "-q");

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.err()).contains("the new thresholds do worse than the current ones on the 12 held-out rows (F1 ",
                "thresholds not written", "--force writes them anyway");
        assertThat(run.out()).contains(policy + " not changed").doesNotContain("wrote ");
        assertThat(Files.readAllBytes(policy)).as("the policy file, byte for byte").isEqualTo(before);
    }

    @Test
    void forceWritesThresholdsThatDoWorseOnTheHeldOutRows() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        Path data = CalibrationFixture.writeNoisyData(dir.resolve("noisy.csv"));

        EvalTestData.Run run = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--seed", Long.toString(CalibrationFixture.WORSE_SEED), "--force", "-q");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).contains("warning: the new thresholds do worse than the current ones");
        assertThat(run.out()).contains("wrote 2 threshold(s) to " + policy, "(--force)");
        Policy reread = PolicyLoader.loadOrThrow(policy);
        assertThat(reread.clause("W").map(Clause::threshold)).isPresent();
        assertThat(reread.clause("S").map(Clause::threshold)).isPresent();
    }

    @Test
    void aDryRunOfThresholdsThatDoWorseWarnsAndSucceeds() throws IOException {
        Path policy = CalibrationFixture.writePolicy(dir);
        Path data = CalibrationFixture.writeNoisyData(dir.resolve("noisy.csv"));

        EvalTestData.Run run = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--seed", Long.toString(CalibrationFixture.WORSE_SEED), "--dry-run", "-q");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).contains("warning: the new thresholds do worse than the current ones");
        assertThat(run.out()).contains("dry run: " + policy + " not changed (2 threshold(s) would be written)");
        assertThat(Files.readString(policy)).isEqualTo(EvalTestData.POLICY);
    }

    @Test
    void aPrecisionTargetTunesTheReviewBandPrintsTheHeldOutReadingsAndWritesTheBandIntoThePolicy() throws IOException {
        Path suite = Path.of("sample-inputs/steerability").toAbsolutePath();
        Path policy = dir.resolve("travel-booking.yaml");
        Files.copy(suite.resolve("travel-booking.yaml"), policy);
        String original = Files.readString(policy);
        String data = suite.resolve("travel-booking.csv").toString();

        EvalTestData.Run dry = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data,
                "--target", "precision=0.90", "--dry-run", "-q");

        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("(engine quick, default threshold 0.5, review band 0.25)",
                "REVIEW band at the chosen thresholds (fit rows; 21 bands tried", "decided precision", "coverage",
                "f1, REVIEW as unsafe", "f1, REVIEW as safe", "dry run: " + policy + " not changed (");
        assertThat(Files.readString(policy)).isEqualTo(original);
        Matcher band = Pattern.compile("review band: 0\\.250 before, (\\d\\.\\d{3}) after").matcher(dry.out());
        assertThat(band.find()).as(dry.out()).isTrue();
        double chosen = Double.parseDouble(band.group(1));
        assertThat(dry.out()).contains("and review_band " + org.rsafe.app.Calibration.formatBand(chosen)
                + " would be written)");

        EvalTestData.Run write = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data,
                "--target", "precision=0.90", "--force", "-q");

        assertThat(write.exit()).as(write.err()).isZero();
        assertThat(write.out()).contains("and review_band " + org.rsafe.app.Calibration.formatBand(chosen) + " to "
                + policy);
        assertThat(PolicyLoader.loadOrThrow(policy).reviewBand()).isEqualTo(chosen);
        assertThat(Files.readString(policy)).startsWith("# Travel booking assistant");
    }

    @Test
    void aPrecisionFloorOutsideZeroToOneAndABandFlagOutOfRangeAreUserMistakes() throws IOException {
        Path policy = EvalTestData.writePolicy(dir);
        Path data = EvalTestData.writeCsv(dir.resolve("set.csv"), EvalTestData.rows(20));

        EvalTestData.Run floor = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--target", "precision=1.5", "-q");
        assertThat(floor.exit()).isEqualTo(2);
        assertThat(floor.err()).contains("--target: the precision floor must be between 0 and 1 (exclusive), was 1.5");

        EvalTestData.Run band = EvalTestData.cli("calibrate", "--policy", policy.toString(), "--data", data.toString(),
                "--review-band", "-1", "-q");
        assertThat(band.exit()).isEqualTo(2);
        assertThat(band.err()).contains("--review-band must be from 0 to 3.0 standard deviations");
        assertThat(Files.readString(policy)).isEqualTo(EvalTestData.POLICY);
    }
}
