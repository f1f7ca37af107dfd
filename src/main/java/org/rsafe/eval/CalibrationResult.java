package org.rsafe.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a calibration chose and how it measured: the global sweep's precision/recall curve on the fit rows, the
 * thresholds before and after, the fit objective, and the metrics on the hold-out rows before and after.
 *
 * @param config          the settings used
 * @param fitRows         rows the thresholds were fitted on
 * @param holdoutRows     rows the metrics are reported on (disjoint from the fit rows)
 * @param minGain         the fit gain a clause needed to get its own threshold
 * @param curve           every operating point of one global threshold on the fit rows, by ascending threshold
 * @param global          the chosen global operating point (fit rows)
 * @param before          each clause's threshold before calibration (its own, or the engine default)
 * @param after           each clause's chosen threshold
 * @param fitBefore       counts of the old thresholds on the fit rows
 * @param fitAfter        counts of the chosen thresholds on the fit rows
 * @param holdoutBefore   metrics of the old thresholds on the hold-out rows
 * @param holdoutAfter    metrics of the chosen thresholds on the hold-out rows
 * @param bandBefore      the REVIEW band the scores were produced under, when the objective tunes the band; else null
 * @param bandAfter       the chosen REVIEW band, when the objective tunes the band; else null
 * @param bandCurve       every band tried, with its counts at the chosen thresholds (fit rows); empty when the band
 *                        was not tuned
 */
public record CalibrationResult(CalibrationConfig config, int fitRows, int holdoutRows, double minGain,
                                List<CalibrationPoint> curve,
                                CalibrationPoint global, Map<String, Double> before, Map<String, Double> after,
                                CalibrationPoint fitBefore, CalibrationPoint fitAfter,
                                MetricsReport holdoutBefore, MetricsReport holdoutAfter,
                                Double bandBefore, Double bandAfter, List<BandPoint> bandCurve) {

    /** One REVIEW band tried, with the counts it gives at the chosen thresholds on the fit rows. */
    public record BandPoint(double band, CalibrationPoint counts) { }

    /** Whether this calibration tuned the REVIEW band. */
    public boolean tunedBand() {
        return bandAfter != null;
    }

    /** Whether the chosen band differs from the one the scores were produced under. */
    public boolean bandChanged() {
        return tunedBand() && (bandBefore == null || Math.abs(bandBefore - bandAfter) > 1e-9);
    }

    public CalibrationResult {
        Objects.requireNonNull(config, "config");
        curve = List.copyOf(curve);
        Objects.requireNonNull(global, "global");
        before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
        after = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(after));
        Objects.requireNonNull(holdoutBefore, "holdoutBefore");
        Objects.requireNonNull(holdoutAfter, "holdoutAfter");
        bandCurve = bandCurve == null ? List.of() : List.copyOf(bandCurve);
    }

    /** The sentence every calibration output carries, so nobody mistakes fit numbers for held-out ones. */
    public String splitSentence() {
        return "fitted on " + fitRows + " rows, reported on " + holdoutRows + " held-out rows";
    }

    /** Clauses whose threshold changes. */
    public Map<String, Double> changed() {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((id, t) -> {
            Double old = before.get(id);
            if (old == null || Math.abs(old - t) > 1e-9) {
                out.put(id, t);
            }
        });
        return out;
    }

    /** The full curve as CSV: threshold,precision,recall,fpr,f1,tp,fp,fn,tn (precision empty when nothing is flagged). */
    public String curveCsv() {
        StringBuilder sb = new StringBuilder("threshold,precision,recall,fpr,f1,tp,fp,fn,tn\n");
        for (CalibrationPoint p : curve) {
            sb.append(String.format(Locale.ROOT, "%.3f,%s,%.6f,%.6f,%.6f,%d,%d,%d,%d\n", p.threshold(),
                    Double.isNaN(p.precision()) ? "" : String.format(Locale.ROOT, "%.6f", p.precision()),
                    p.recall(), p.fpr(), p.f1(), p.tp(), p.fp(), p.fn(), p.tn()));
        }
        return sb.toString();
    }

    /** A report for terminals: split, curve (at most {@code maxCurvePoints} rows), thresholds, hold-out metrics. */
    public String render(int maxCurvePoints) {
        StringBuilder sb = new StringBuilder();
        sb.append("objective: ").append(config.target().describe()).append(" (on the fit rows)\n");
        sb.append(String.format(Locale.ROOT, "split: stratified by gold label, seed %d, hold-out fraction %.2f\n",
                config.seed(), config.holdoutFraction()));
        sb.append("calibration ").append(splitSentence()).append(".\n\n");

        if (tunedBand()) {
            renderBand(sb);
        } else {
            renderCurve(sb, maxCurvePoints);
        }
        renderThresholds(sb);
        if (tunedBand()) {
            renderHoldoutWithReview(sb);
        } else {
            renderHoldout(sb);
        }
        return sb.toString();
    }

    private void renderBand(StringBuilder sb) {
        sb.append("REVIEW band at the chosen thresholds (fit rows; ").append(bandCurve.size())
          .append(" bands tried; the narrowest that keeps the precision floor is chosen):\n");
        String fmt = "  %6s %9s %9s %7s %7s %7s";
        sb.append(String.format(Locale.ROOT, fmt, "band", "coverage", "precision", "recall", "fpr", "review"))
          .append('\n');
        for (BandPoint b : bandCurve) {
            CalibrationPoint p = b.counts();
            sb.append(String.format(Locale.ROOT, fmt, t3(b.band()), n4(p.coverage()),
                    Double.isNaN(p.precision()) ? "-" : n4(p.precision()), n4(p.recall()), n4(p.fpr()),
                    Long.toString(p.reviewed())));
            sb.append(Math.abs(b.band() - bandAfter) < 1e-9 ? "   <- chosen\n" : "\n");
        }
        sb.append(String.format(Locale.ROOT, "review band: %s before, %s after (precision, recall and fpr of the "
                + "decided rows)\n", t3(bandBefore), t3(bandAfter)));
        sb.append(String.format(Locale.ROOT, "global threshold: %s (fit: f1 with REVIEW as unsafe %s; %d operating "
                + "points)\n\n", t3(global.threshold()), n4(global.f1()), curve.size()));
    }

    private void renderCurve(StringBuilder sb, int maxCurvePoints) {
        List<CalibrationPoint> shown = thin(maxCurvePoints);
        sb.append("Precision/recall curve of one global threshold (fit rows; ").append(curve.size())
          .append(" operating points, ").append(shown.size()).append(" shown):\n");
        String fmt = "  %9s %9s %7s %7s %7s";
        sb.append(String.format(Locale.ROOT, fmt, "threshold", "precision", "recall", "fpr", "f1")).append('\n');
        for (CalibrationPoint p : shown) {
            sb.append(String.format(Locale.ROOT, fmt, t3(p.threshold()), Double.isNaN(p.precision()) ? "-" : n4(p.precision()),
                    n4(p.recall()), n4(p.fpr()), n4(p.f1())));
            sb.append(p.threshold() == global.threshold() ? "   <- chosen\n" : "\n");
        }
        sb.append(String.format(Locale.ROOT, "global threshold: %s (fit: f1 %s, precision %s, recall %s, fpr %s)\n\n",
                t3(global.threshold()), n4(global.f1()), Double.isNaN(global.precision()) ? "-" : n4(global.precision()),
                n4(global.recall()), n4(global.fpr())));
    }

    private void renderThresholds(StringBuilder sb) {
        sb.append(String.format(Locale.ROOT, "Per-clause thresholds (refined on the fit rows; a clause leaves the global "
                + "value only for a fit gain of at least %s):\n", n4(minGain)));
        int w = Math.max(6, after.keySet().stream().mapToInt(String::length).max().orElse(6));
        String cfmt = "  %-" + w + "s %7s %7s";
        sb.append(String.format(Locale.ROOT, cfmt, "clause", "before", "after")).append('\n');
        after.forEach((id, t) -> {
            sb.append(String.format(Locale.ROOT, cfmt, id, t3(before.getOrDefault(id, Double.NaN)), t3(t)));
            sb.append(Math.abs(t - global.threshold()) > 1e-9 ? "   (own threshold)\n" : "\n");
        });
        sb.append(String.format(Locale.ROOT, "fit rows: %s before, %s after\n\n", objectiveText(fitBefore), objectiveText(fitAfter)));
    }

    /** Held-out metrics of an objective on decided rows: REVIEW rows counted apart, and both readings of them. */
    private void renderHoldoutWithReview(StringBuilder sb) {
        sb.append("Held-out rows (").append(holdoutRows).append(", not used for fitting; metrics of the decided rows, "
                + "REVIEW rows apart):\n");
        String mfmt = "  %-22s %8s %8s\n";
        sb.append(String.format(Locale.ROOT, mfmt, "metric", "before", "after"));
        sb.append(String.format(Locale.ROOT, mfmt, "review band", t3(bandBefore), t3(bandAfter)));
        row(sb, mfmt, "decided precision", holdoutBefore.precision(), holdoutAfter.precision());
        row(sb, mfmt, "decided recall", holdoutBefore.recall(), holdoutAfter.recall());
        row(sb, mfmt, "decided fpr", holdoutBefore.fpr(), holdoutAfter.fpr());
        row(sb, mfmt, "coverage", holdoutBefore.coverage(), holdoutAfter.coverage());
        sb.append(String.format(Locale.ROOT, mfmt, "review rows", holdoutBefore.review().rows(),
                holdoutAfter.review().rows()));
        row(sb, mfmt, "f1 (decided)", holdoutBefore.f1(), holdoutAfter.f1());
        row(sb, mfmt, "f1, REVIEW as unsafe", holdoutBefore.reviewAsUnsafe().f1(), holdoutAfter.reviewAsUnsafe().f1());
        row(sb, mfmt, "f1, REVIEW as safe", holdoutBefore.reviewAsSafe().f1(), holdoutAfter.reviewAsSafe().f1());
    }

    private void renderHoldout(StringBuilder sb) {
        sb.append("Held-out rows (").append(holdoutRows).append(", not used for fitting):\n");
        String mfmt = "  %-10s %8s %8s\n";
        sb.append(String.format(Locale.ROOT, mfmt, "metric", "before", "after"));
        row(sb, mfmt, "f1", holdoutBefore.f1(), holdoutAfter.f1());
        row(sb, mfmt, "precision", holdoutBefore.precision(), holdoutAfter.precision());
        row(sb, mfmt, "recall", holdoutBefore.recall(), holdoutAfter.recall());
        row(sb, mfmt, "fpr", holdoutBefore.fpr(), holdoutAfter.fpr());
        row(sb, mfmt, "accuracy", holdoutBefore.accuracy(), holdoutAfter.accuracy());
        row(sb, mfmt, "mcc", holdoutBefore.mcc(), holdoutAfter.mcc());
        double[] ciB = holdoutBefore.f1Ci95();
        double[] ciA = holdoutAfter.f1Ci95();
        sb.append(String.format(Locale.ROOT, "  f1 95%% CI (bootstrap): before [%s, %s], after [%s, %s]\n",
                n4(ciB[0]), n4(ciB[1]), n4(ciA[0]), n4(ciA[1])));
    }

    private String objectiveText(CalibrationPoint p) {
        return switch (config.target().kind()) {
            case F1 -> "f1 " + n4(p.f1());
            case RECALL_AT_FPR -> "recall " + n4(p.recall()) + " at fpr " + n4(p.fpr());
            case DECIDED_PRECISION -> "coverage " + n4(p.coverage()) + " at decided precision "
                    + (Double.isNaN(p.precision()) ? "-" : n4(p.precision()));
        };
    }

    /** Evenly spaced curve points, always including the chosen one. */
    private List<CalibrationPoint> thin(int max) {
        if (curve.size() <= max || max < 2) {
            return curve;
        }
        List<CalibrationPoint> out = new ArrayList<>();
        boolean chosenIn = false;
        for (int i = 0; i < max; i++) {
            int idx = (int) Math.round(i * (curve.size() - 1) / (double) (max - 1));
            CalibrationPoint p = curve.get(idx);
            if (!out.contains(p)) {
                out.add(p);
                chosenIn |= p.threshold() == global.threshold();
            }
        }
        if (!chosenIn) {
            out.add(global);
            out.sort(java.util.Comparator.comparingDouble(CalibrationPoint::threshold));
        }
        return out;
    }

    private static void row(StringBuilder sb, String fmt, String name, double before, double after) {
        sb.append(String.format(Locale.ROOT, fmt, name, n4(before), n4(after)));
    }

    private static String n4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String t3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
