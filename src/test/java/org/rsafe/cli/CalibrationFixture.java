package org.rsafe.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled set on which calibration fits thresholds that do worse on the held-out rows than the policy's current
 * ones: every third gold label is flipped, so the fit rows reward thresholds that chase the noise. With
 * {@link #WORSE_SEED} the quick engine's scores give held-out F1 0.92 before and 0.44 after (measured with
 * {@code rsafe calibrate}), far enough apart that small changes to the fitting do not turn it around. Public so the
 * GUI's calibration tests use the same rows as the command's.
 */
public final class CalibrationFixture {
    /** The split seed that puts the noise where it hurts. */
    public static final long WORSE_SEED = 2;

    private CalibrationFixture() { }

    /** The two-clause test policy ({@code W}, {@code S}, no thresholds yet) as {@code dir/policy.yaml}. */
    public static Path writePolicy(Path dir) throws IOException {
        return EvalTestData.writePolicy(dir);
    }

    /** {@code n} rows, CSV with id,text,label, every label right. */
    public static Path writeCleanData(Path file, int n) throws IOException {
        return EvalTestData.writeCsv(file, EvalTestData.rows(n));
    }

    /** 24 rows, CSV with id,text,label, every third label flipped. */
    public static Path writeNoisyData(Path file) throws IOException {
        List<EvalTestData.Row> rows = new ArrayList<>();
        List<EvalTestData.Row> clean = EvalTestData.rows(24);
        for (int i = 0; i < clean.size(); i++) {
            EvalTestData.Row r = clean.get(i);
            String label = i % 3 == 2 ? (r.label().equals("unsafe") ? "safe" : "unsafe") : r.label();
            rows.add(new EvalTestData.Row(r.id(), r.text(), label));
        }
        return EvalTestData.writeCsv(file, rows);
    }
}
