package org.rsafe.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One clause scored one-vs-rest: gold positive when the row's gold categories contain the clause id, predicted
 * positive when the guard flagged the clause.
 *
 * @param support rows whose gold categories contain the clause (tp + fn)
 */
public record ClauseMetrics(ConfusionMatrix cm, double precision, double recall, double f1, int support) {
    public ClauseMetrics {
        Objects.requireNonNull(cm, "cm");
    }

    public static ClauseMetrics of(ConfusionMatrix cm) {
        return new ClauseMetrics(cm, cm.precision(), cm.recall(), cm.f1(), cm.tp() + cm.fn());
    }

    public Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("support", support);
        m.put("tp", cm.tp());
        m.put("fp", cm.fp());
        m.put("tn", cm.tn());
        m.put("fn", cm.fn());
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("f1", f1);
        return m;
    }
}
