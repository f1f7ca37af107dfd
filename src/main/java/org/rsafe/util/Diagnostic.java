package org.rsafe.util;

import java.util.Objects;

/**
 * One finding about a file: an error or warning with its position, printed GCC-style as
 * {@code file:line:col: error: [rule-id] message}.
 */
public record Diagnostic(String file, SourcePos pos, Severity severity, String ruleId, String message) {

    public enum Severity {
        ERROR, WARNING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Diagnostic {
        Objects.requireNonNull(file, "file");
        pos = pos == null ? SourcePos.UNKNOWN : pos;
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Diagnostic error(String file, SourcePos pos, String ruleId, String message) {
        return new Diagnostic(file, pos, Severity.ERROR, ruleId, message);
    }

    public static Diagnostic warning(String file, SourcePos pos, String ruleId, String message) {
        return new Diagnostic(file, pos, Severity.WARNING, ruleId, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** GCC-style line; the rule id is left out when the finding has none (plain load errors). */
    public String format() {
        StringBuilder sb = new StringBuilder(file);
        if (pos.known()) {
            sb.append(':').append(pos.line()).append(':').append(pos.column());
        }
        sb.append(": ").append(severity.label()).append(": ");
        if (ruleId != null && !ruleId.isEmpty()) {
            sb.append('[').append(ruleId).append("] ");
        }
        return sb.append(message).toString();
    }
}
