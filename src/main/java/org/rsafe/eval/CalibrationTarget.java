package org.rsafe.eval;

import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * What calibration optimises on the fit rows: the unsafe-class F1, the highest recall whose false-positive
 * rate stays at or below {@code maxFpr} (a review team's budget for wrongly blocked safe inputs), or, for an engine
 * with a REVIEW band, the most coverage while the precision of the decided rows stays at or above
 * {@code minPrecision} ({@link Kind#DECIDED_PRECISION}).
 *
 * @param kind         which objective
 * @param maxFpr       the false-positive budget, in (0, 1); only meaningful for {@link Kind#RECALL_AT_FPR}
 * @param minPrecision the precision floor on decided rows, in (0, 1); only meaningful for
 *                     {@link Kind#DECIDED_PRECISION}
 */
public record CalibrationTarget(Kind kind, double maxFpr, double minPrecision) {

    /**
     * F1; recall at a false-positive budget; coverage at a decided-precision floor. The last fits the thresholds for
     * F1 with REVIEW counted as unsafe (what is caught, by a flag or a person), then the REVIEW band for the most
     * coverage whose decided precision keeps the floor (how much of it a person must see). Tuning the thresholds
     * for coverage too would be degenerate: a bar that flags one certain row and passes the rest decides everything
     * at precision 1.
     */
    public enum Kind { F1, RECALL_AT_FPR, DECIDED_PRECISION }

    public static final CalibrationTarget F1 = new CalibrationTarget(Kind.F1, 1.0);

    /** An F1 or false-positive-budget target. */
    public CalibrationTarget(Kind kind, double maxFpr) {
        this(kind, maxFpr, 0.0);
    }

    public CalibrationTarget {
        if (kind == null) {
            throw new IllegalArgumentException("kind");
        }
        if (kind == Kind.RECALL_AT_FPR && !(maxFpr > 0 && maxFpr < 1)) {
            throw new IllegalArgumentException("the false-positive budget must be in (0, 1), was " + maxFpr);
        }
        if (kind == Kind.DECIDED_PRECISION && !(minPrecision > 0 && minPrecision < 1)) {
            throw new IllegalArgumentException("the precision floor must be in (0, 1), was " + minPrecision);
        }
    }

    /** Thresholds for F1, then the widest coverage whose decided precision stays at or above {@code floor}. */
    public static CalibrationTarget minPrecision(double floor) {
        return new CalibrationTarget(Kind.DECIDED_PRECISION, 1.0, floor);
    }

    /** Whether this objective tunes the REVIEW band (and so needs an engine with one). */
    public boolean tunesBand() {
        return kind == Kind.DECIDED_PRECISION;
    }

    public static CalibrationTarget maxFpr(double budget) {
        return new CalibrationTarget(Kind.RECALL_AT_FPR, budget);
    }

    /** Reads the command-line form: {@code f1}, {@code fpr=0.05} or {@code precision=0.90}. */
    public static CalibrationTarget parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.equals("f1")) {
            return F1;
        }
        Double floor = share(text, t, "precision", "precision floor", "0.90");
        if (floor != null) {
            return minPrecision(floor);
        }
        Double budget = share(text, t, "fpr", "false-positive budget", "0.05");
        if (budget != null) {
            return maxFpr(budget);
        }
        throw new UserException("--target: expected 'f1', 'fpr=<budget>' (e.g. fpr=0.05) or 'precision=<floor>' "
                + "(e.g. precision=0.90), was '" + text + "'");
    }

    /**
     * The number of {@code name=x} or {@code name<=x} in the normalised target {@code t}, strictly between 0 and 1;
     * null when {@code t} is not of that form. {@code text} is the user's own spelling, for messages.
     */
    private static Double share(String text, String t, String name, String what, String example) {
        String value = t.startsWith(name + "<=") ? t.substring(name.length() + 2)
                : t.startsWith(name + "=") ? t.substring(name.length() + 1) : null;
        if (value == null) {
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UserException("--target: '" + text + "' has no number after '" + name + "='; try " + name + "="
                    + example);
        }
        if (!(v > 0 && v < 1)) {
            throw new UserException("--target: the " + what + " must be between 0 and 1 (exclusive), was " + value);
        }
        return v;
    }

    /** The command-line form, e.g. {@code fpr=0.05}. */
    public String cliForm() {
        return switch (kind) {
            case F1 -> "f1";
            case RECALL_AT_FPR -> "fpr=" + maxFpr;
            case DECIDED_PRECISION -> "precision=" + minPrecision;
        };
    }

    /** A phrase for reports: what was maximised. */
    public String describe() {
        return switch (kind) {
            case F1 -> "maximise unsafe-class F1";
            case RECALL_AT_FPR -> "maximise recall while the false-positive rate stays <= " + maxFpr;
            case DECIDED_PRECISION -> "thresholds: maximise F1 with REVIEW counted as unsafe; REVIEW band: maximise "
                    + "coverage while decided precision stays >= " + minPrecision;
        };
    }
}
