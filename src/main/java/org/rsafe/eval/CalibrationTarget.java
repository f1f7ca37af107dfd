package org.rsafe.eval;

import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * What calibration optimises on the fit rows: the unsafe-class F1, or the highest recall whose false-positive
 * rate stays at or below {@code maxFpr} (a review team's budget for wrongly blocked safe inputs).
 *
 * @param kind   which objective
 * @param maxFpr the false-positive budget, in (0, 1); only meaningful for {@link Kind#RECALL_AT_FPR}
 */
public record CalibrationTarget(Kind kind, double maxFpr) {

    public enum Kind { F1, RECALL_AT_FPR }

    public static final CalibrationTarget F1 = new CalibrationTarget(Kind.F1, 1.0);

    public CalibrationTarget {
        if (kind == null) {
            throw new IllegalArgumentException("kind");
        }
        if (kind == Kind.RECALL_AT_FPR && !(maxFpr > 0 && maxFpr < 1)) {
            throw new IllegalArgumentException("the false-positive budget must be in (0, 1), was " + maxFpr);
        }
    }

    public static CalibrationTarget maxFpr(double budget) {
        return new CalibrationTarget(Kind.RECALL_AT_FPR, budget);
    }

    /** Reads the command-line form: {@code f1} or {@code fpr=0.05}. */
    public static CalibrationTarget parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.equals("f1")) {
            return F1;
        }
        String value = null;
        if (t.startsWith("fpr<=")) {
            value = t.substring(5);
        } else if (t.startsWith("fpr=")) {
            value = t.substring(4);
        }
        if (value != null) {
            double budget;
            try {
                budget = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new UserException("--target: '" + text + "' has no number after 'fpr='; try fpr=0.05");
            }
            if (!(budget > 0 && budget < 1)) {
                throw new UserException("--target: the false-positive budget must be between 0 and 1 (exclusive), was "
                        + value);
            }
            return maxFpr(budget);
        }
        throw new UserException("--target: expected 'f1' or 'fpr=<budget>' (e.g. fpr=0.05), was '" + text + "'");
    }

    /** The command-line form, e.g. {@code fpr=0.05}. */
    public String cliForm() {
        return kind == Kind.F1 ? "f1" : "fpr=" + maxFpr;
    }

    /** A phrase for reports: what was maximised. */
    public String describe() {
        return kind == Kind.F1
                ? "maximise unsafe-class F1"
                : "maximise recall while the false-positive rate stays <= " + maxFpr;
    }
}
