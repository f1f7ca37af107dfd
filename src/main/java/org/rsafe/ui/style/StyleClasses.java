package org.rsafe.ui.style;

/** Style-class names shared by the views and {@code workbench.css}; kept here so none is misspelt. */
public final class StyleClasses {
    private StyleClasses() { }

    public static final String POLICY_EDITOR = "policy-editor";
    public static final String CITED_LINE = "cited-line";
    public static final String GUTTER = "gutter";
    public static final String GUTTER_MARK = "gutter-mark";
    public static final String GUTTER_ERROR = "gutter-error";
    public static final String GUTTER_WARNING = "gutter-warning";
    public static final String PROBLEM_ERROR = "problem-error";
    public static final String PROBLEM_WARNING = "problem-warning";
    public static final String LINT_POPUP = "lint-popup";

    public static final String VERDICT_SAFE = "verdict-safe";
    public static final String VERDICT_UNSAFE = "verdict-unsafe";
    public static final String VERDICT_UNKNOWN = "verdict-unknown";
    /** The amber REVIEW badge and table cell: the engine left the input to a person. */
    public static final String VERDICT_REVIEW = "verdict-review";
    /** An outline entry whose clause's examples do not all agree with the engine (leave-one-out lint). */
    public static final String OUTLINE_DISAGREES = "outline-disagrees";
    public static final String SCORE_ROW = "score-row";
    public static final String SCORE_LABEL = "score-label";
    public static final String SCORE_VALUE = "score-value";
    public static final String FLAGGED = "flagged";
    public static final String STEP_CELL = "step-cell";
    public static final String STEP_INDEX = "step-index";
    public static final String STEP_FOCUSED = "step-focused";
    public static final String CHIP = "chip";
    public static final String CHIP_EXPLICIT = "chip-explicit";
    public static final String CHIP_INFERRED = "chip-inferred";
    /** A negated mention: the step rules the clause out. */
    public static final String CHIP_RULED_OUT = "chip-ruled-out";
    /** An invalid citation: an id the policy does not have, or named as another clause. */
    public static final String CHIP_INVALID = "chip-invalid";
    public static final String SPAN_SELECTED = "span-selected";
    public static final String RAW_OUTPUT = "raw-output";

    /** The out-of-date line over a result, and the result it greys. */
    public static final String STALE_BAR = "stale-bar";
    public static final String STALE_RESULT = "stale-result";

    public static final String METRIC_NAME = "metric-name";
    public static final String METRIC_VALUE = "metric-value";
    public static final String CONFUSION_CELL = "confusion-cell";
    public static final String CONFUSION_CORRECT = "confusion-correct";
    public static final String CONFUSION_WRONG = "confusion-wrong";
    public static final String CONFUSION_HEADER = "confusion-header";
}
