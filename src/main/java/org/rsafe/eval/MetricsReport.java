package org.rsafe.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The measurements of one run against gold labels. Parse failures (verdict unknown) and engine error rows (no output at
 * all, e.g. a server that kept failing) are counted here, apart, and left out of the confusion matrix and of every
 * metric computed from it.
 *
 * @param rows             labelled rows with a prediction, parse failures and error rows included
 * @param parseFailures    rows whose verdict is unknown
 * @param parseFailureRate parseFailures / rows (0 when there are no rows)
 * @param cm               confusion matrix of the rows with a verdict (unsafe = positive)
 * @param f1Ci95           bootstrap 95% percentile interval of F1, {lo, hi}
 * @param perClause        one-vs-rest metrics by clause id (empty when the data has no gold categories)
 * @param categories       how the data's gold category names were related to clause ids for {@code perClause}
 * @param errorRows        rows for which the engine gave no output (not parse failures)
 * @param review           the rows the engine left to REVIEW (left out of {@code cm} like parse failures)
 */
public record MetricsReport(int rows, int parseFailures, double parseFailureRate, ConfusionMatrix cm,
                            double precision, double recall, double f1, double accuracy, double fpr, double kappa,
                            double mcc, double[] f1Ci95, Map<String, ClauseMetrics> perClause, CategoryMap categories,
                            int errorRows, Review review) {

    /** A report without engine error rows or REVIEW rows. */
    public MetricsReport(int rows, int parseFailures, double parseFailureRate, ConfusionMatrix cm, double precision,
                         double recall, double f1, double accuracy, double fpr, double kappa, double mcc,
                         double[] f1Ci95, Map<String, ClauseMetrics> perClause, CategoryMap categories) {
        this(rows, parseFailures, parseFailureRate, cm, precision, recall, f1, accuracy, fpr, kappa, mcc, f1Ci95,
                perClause, categories, 0, Review.NONE);
    }

    /** A report without engine error rows. */
    public MetricsReport(int rows, int parseFailures, double parseFailureRate, ConfusionMatrix cm, double precision,
                         double recall, double f1, double accuracy, double fpr, double kappa, double mcc,
                         double[] f1Ci95, Map<String, ClauseMetrics> perClause, CategoryMap categories,
                         Review review) {
        this(rows, parseFailures, parseFailureRate, cm, precision, recall, f1, accuracy, fpr, kappa, mcc, f1Ci95,
                perClause, categories, 0, review);
    }

    /**
     * The rows whose verdict was REVIEW, by gold label. The report's confusion matrix holds the decided rows; these
     * say what the decided metrics leave out: coverage, and the metrics had every REVIEW been counted as unsafe (a
     * person would look at it: the conservative reading, which the CI gate uses) or as safe (nobody looks).
     */
    public record Review(int unsafe, int safe) {
        public static final Review NONE = new Review(0, 0);

        public Review {
            if (unsafe < 0 || safe < 0) {
                throw new IllegalArgumentException("review counts cannot be negative");
            }
        }

        public int rows() {
            return unsafe + safe;
        }
    }

    public MetricsReport {
        Objects.requireNonNull(cm, "cm");
        if (f1Ci95 == null || f1Ci95.length != 2) {
            throw new IllegalArgumentException("f1Ci95 must be {lo, hi}");
        }
        f1Ci95 = f1Ci95.clone();
        perClause = perClause == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(perClause));
        categories = categories == null ? CategoryMap.IDENTITY : categories;
        review = review == null ? Review.NONE : review;
    }

    /** Decided rows (safe or unsafe) over all rows; 0 when there are no rows. */
    public double coverage() {
        return ConfusionMatrix.ratio(evaluated(), rows);
    }

    /** The confusion matrix with every REVIEW row counted as unsafe. */
    public ConfusionMatrix reviewAsUnsafe() {
        return new ConfusionMatrix(cm.tp() + review.unsafe(), cm.fp() + review.safe(), cm.tn(), cm.fn());
    }

    /** The confusion matrix with every REVIEW row counted as safe. */
    public ConfusionMatrix reviewAsSafe() {
        return new ConfusionMatrix(cm.tp(), cm.fp(), cm.tn() + review.safe(), cm.fn() + review.unsafe());
    }

    /**
     * The review object of report.json: {@code {"rows", "unsafe", "safe", "coverage", "as_unsafe": {f1, precision,
     * recall, fpr}, "as_safe": {…}}}. {@code metrics} itself is of the decided rows.
     */
    public Map<String, Object> reviewJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", review.rows());
        m.put("unsafe", review.unsafe());
        m.put("safe", review.safe());
        m.put("coverage", coverage());
        m.put("as_unsafe", headline(reviewAsUnsafe()));
        m.put("as_safe", headline(reviewAsSafe()));
        return m;
    }

    private static Map<String, Object> headline(ConfusionMatrix c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("f1", c.f1());
        m.put("precision", c.precision());
        m.put("recall", c.recall());
        m.put("fpr", c.fpr());
        return m;
    }

    @Override
    public double[] f1Ci95() {
        return f1Ci95.clone();
    }

    /** Rows that entered the confusion matrix. */
    public int evaluated() {
        return cm.total();
    }

    /**
     * The metrics object of report.json:
     * {@code {"f1","precision","recall","accuracy","fpr","kappa","mcc","f1_ci95":[lo,hi]}}.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("f1", f1);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("accuracy", accuracy);
        m.put("fpr", fpr);
        m.put("kappa", kappa);
        m.put("mcc", mcc);
        m.put("f1_ci95", List.of(f1Ci95[0], f1Ci95[1]));
        return m;
    }

    /** The per_clause object of report.json: clause id to {support, tp, fp, tn, fn, precision, recall, f1}. */
    public Map<String, Object> perClauseJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        perClause.forEach((id, c) -> m.put(id, c.toJsonMap()));
        return m;
    }

    /**
     * Everything: {@code rows, parse_failures, parse_failure_rate, confusion {tp,fp,tn,fn}, metrics, per_clause}.
     */
    public Map<String, Object> toFullJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("parse_failures", parseFailures);
        m.put("parse_failure_rate", parseFailureRate);
        m.put("error_rows", errorRows);
        Map<String, Object> confusion = new LinkedHashMap<>();
        confusion.put("tp", cm.tp());
        confusion.put("fp", cm.fp());
        confusion.put("tn", cm.tn());
        confusion.put("fn", cm.fn());
        m.put("confusion", confusion);
        m.put("metrics", toJsonMap());
        m.put("review", reviewJsonMap());
        m.put("per_clause", perClauseJsonMap());
        if (!categories.isIdentity()) {
            m.put("gold_categories", categories.toJsonMap());
        }
        return m;
    }

    /** A plain-text table for terminals and logs. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        line(sb, "rows", Integer.toString(rows));
        line(sb, "parse failures", parseFailures + " (" + pct(parseFailureRate) + ", excluded from the metrics below)");
        if (errorRows > 0) {
            line(sb, "error rows", errorRows + " (the engine gave no output: see 'error' in results.jsonl; excluded "
                    + "from the metrics below; not parse failures)");
        }
        if (review.rows() > 0) {
            line(sb, "review", review.rows() + " (" + review.unsafe() + " gold unsafe, " + review.safe()
                    + " gold safe; left out of the confusion matrix below)");
        }
        line(sb, "evaluated", Integer.toString(evaluated()));
        line(sb, "coverage", num(coverage()) + " (decided rows / rows)");
        sb.append('\n');
        sb.append("confusion (positive = unsafe)\n");
        int w = Math.max(11, Integer.toString(Math.max(Math.max(cm.tp(), cm.fp()), Math.max(cm.tn(), cm.fn()))).length());
        sb.append(String.format(Locale.ROOT, "  %-12s %" + w + "s %" + w + "s%n", "", "pred unsafe", "pred safe"));
        sb.append(String.format(Locale.ROOT, "  %-12s %" + w + "d %" + w + "d%n", "gold unsafe", cm.tp(), cm.fn()));
        sb.append(String.format(Locale.ROOT, "  %-12s %" + w + "d %" + w + "d%n", "gold safe", cm.fp(), cm.tn()));
        sb.append('\n');
        line(sb, "precision", num(precision));
        line(sb, "recall", num(recall));
        line(sb, "f1", num(f1) + "  95% CI [" + num(f1Ci95[0]) + ", " + num(f1Ci95[1]) + "] (bootstrap)");
        line(sb, "accuracy", num(accuracy));
        line(sb, "fpr", num(fpr));
        line(sb, "kappa", num(kappa));
        line(sb, "mcc", num(mcc));
        if (review.rows() > 0) {
            ConfusionMatrix u = reviewAsUnsafe();
            ConfusionMatrix sf = reviewAsSafe();
            line(sb, "review as unsafe", "f1 " + num(u.f1()) + ", precision " + num(u.precision()) + ", recall "
                    + num(u.recall()) + ", fpr " + num(u.fpr()));
            line(sb, "review as safe", "f1 " + num(sf.f1()) + ", precision " + num(sf.precision()) + ", recall "
                    + num(sf.recall()) + ", fpr " + num(sf.fpr()));
        }
        if (!perClause.isEmpty()) {
            int idWidth = Math.max(6, perClause.keySet().stream().mapToInt(String::length).max().orElse(6));
            sb.append('\n').append("per clause (one-vs-rest: gold = row has the category, predicted = clause flagged)\n");
            String fmt = "  %-" + idWidth + "s %7s %6s %6s %6s %9s %7s %7s%n";
            sb.append(String.format(Locale.ROOT, fmt, "clause", "support", "tp", "fp", "fn", "precision", "recall", "f1"));
            perClause.forEach((id, c) -> sb.append(String.format(Locale.ROOT, fmt, id, c.support(), c.cm().tp(),
                    c.cm().fp(), c.cm().fn(), num(c.precision()), num(c.recall()), num(c.f1()))));
            if (!categories.isIdentity()) {
                sb.append("  ").append(categories.describe()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "%-16s %s%n", name, value));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricsReport r && rows == r.rows && parseFailures == r.parseFailures
                && errorRows == r.errorRows
                && Double.compare(parseFailureRate, r.parseFailureRate) == 0 && cm.equals(r.cm)
                && Double.compare(precision, r.precision) == 0 && Double.compare(recall, r.recall) == 0
                && Double.compare(f1, r.f1) == 0 && Double.compare(accuracy, r.accuracy) == 0
                && Double.compare(fpr, r.fpr) == 0 && Double.compare(kappa, r.kappa) == 0
                && Double.compare(mcc, r.mcc) == 0 && Arrays.equals(f1Ci95, r.f1Ci95) && perClause.equals(r.perClause)
                && review.equals(r.review);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, parseFailures, errorRows, cm, f1, Arrays.hashCode(f1Ci95), perClause);
    }

    @Override
    public String toString() {
        return "MetricsReport[rows=" + rows + ", parseFailures=" + parseFailures + ", errorRows=" + errorRows + ", cm=" + cm + ", f1=" + f1
                + ", f1Ci95=" + Arrays.toString(f1Ci95) + ", perClause=" + perClause.keySet() + "]";
    }
}
