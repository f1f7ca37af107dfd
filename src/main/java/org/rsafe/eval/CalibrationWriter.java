package org.rsafe.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyEditor;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.util.UserException;

/**
 * Writes calibrated thresholds into a policy file as {@code threshold:} entries of its clauses (and a tuned REVIEW
 * band as its top-level {@code review_band:}), editing the text in place (comments, order and quoting survive) and
 * saving atomically.
 */
public final class CalibrationWriter {

    private CalibrationWriter() { }

    /**
     * The policy text with each given clause threshold set. Edits are applied one at a time, re-reading the text
     * between them, because each edit shifts the positions the next one needs.
     */
    public static String withThresholds(String fileName, Policy policy, Map<String, Double> thresholds) {
        return withSettings(fileName, policy, thresholds, null);
    }

    /** As {@link #withThresholds}, and the top-level {@code review_band} when {@code reviewBand} is not null. */
    public static String withSettings(String fileName, Policy policy, Map<String, Double> thresholds,
                                      Double reviewBand) {
        Policy current = policy;
        String text = policy.source();
        if (reviewBand != null) {
            text = PolicyEditor.setReviewBand(current, reviewBand);
            current = reread(fileName, text, "setting review_band");
        }
        for (Map.Entry<String, Double> e : thresholds.entrySet()) {
            if (current.clause(e.getKey()).isEmpty()) {
                throw new IllegalArgumentException("no clause " + e.getKey() + " in " + fileName);
            }
            text = PolicyEditor.setClauseThreshold(current, e.getKey(), e.getValue());
            current = reread(fileName, text, "setting a threshold");
        }
        return text;
    }

    private static Policy reread(String fileName, String text, String what) {
        PolicyLoadResult reread = PolicyLoader.parse(fileName, text);
        if (!reread.ok()) {
            throw new IllegalStateException(what + " made " + fileName + " invalid: " + reread.errors());
        }
        return reread.policy();
    }

    /**
     * Sets the thresholds in the policy file and saves it atomically. Refuses when the file no longer holds the text
     * the policy was loaded from (someone edited it during calibration), so no edit is lost.
     *
     * @return the policy as saved
     */
    public static Policy write(Path file, Policy policy, Map<String, Double> thresholds) {
        return write(file, policy, thresholds, null);
    }

    /** As above, and the policy's {@code review_band} when {@code reviewBand} is not null; all in one atomic save. */
    public static Policy write(Path file, Policy policy, Map<String, Double> thresholds, Double reviewBand) {
        String onDisk;
        try {
            onDisk = org.rsafe.util.BoundedFiles.readUtf8(file, org.rsafe.util.BoundedFiles.POLICY_BYTES, "a policy file");
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!onDisk.equals(policy.source())) {
            throw new UserException(file + ": the file changed while calibration ran; thresholds not written "
                    + "(run calibrate again on the current file)");
        }
        String text = withSettings(file.toString(), policy, thresholds, reviewBand);
        PolicyEditor.save(file, text);
        return PolicyLoader.parse(file.toString(), text).policy();
    }
}
