package org.rsafe.policy;

import org.rsafe.util.Diagnostic.Severity;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;

/**
 * Every check that loading and linting a policy can report, with its id (shown as {@code [id]} in each
 * finding), its severity and why it exists.
 */
public enum LintRule {
    // Found while reading the file: the policy cannot be used until these are fixed.
    YAML_SYNTAX("yaml-syntax", Severity.ERROR, "the file is not valid YAML, so nothing after the problem can be read"),
    DUPLICATE_KEY("duplicate-key", Severity.ERROR, "a key given twice silently hides one of the values"),
    WRONG_TYPE("wrong-type", Severity.ERROR, "a value of the wrong kind (text, number, list) cannot be used"),
    MISSING_FIELD("missing-field", Severity.ERROR, "a required key is absent"),
    UNKNOWN_KEY("unknown-key", Severity.WARNING, "an unknown key is ignored; usually it is a typo of a real one"),
    FORMAT_VERSION("format-version", Severity.ERROR, "only format version 1 (`policy: 1`) is understood"),
    UNKNOWN_VALUE("unknown-value", Severity.ERROR, "applies_to must be prompt, response or both; severity low, medium, high or critical"),
    THRESHOLD_RANGE("threshold-range", Severity.ERROR, "a threshold is a probability; outside 0..1 it flags everything or nothing"),
    REVIEW_BAND_RANGE("review-band-range", Severity.ERROR, "review_band is a width in standard deviations from 0 (never REVIEW) to 3; a negative band means nothing and a wider one leaves nearly every flag to a person"),
    // Found by the linter: the policy loads, but a guard would read it badly.
    NO_CLAUSES("no-clauses", Severity.ERROR, "a policy without clauses gives the guard nothing to judge against"),
    DUPLICATE_CLAUSE_ID("duplicate-clause-id", Severity.ERROR, "verdicts cite clauses by id; two clauses with one id cannot be told apart"),
    EMPTY_FIELD("empty-field", Severity.ERROR, "an empty title, description or example tells the guard nothing"),
    CLAUSE_ID_CHARACTER("clause-id-character", Severity.ERROR, "ids may use only ASCII letters, digits, '_', '-' and '.'; look-alike letters (Cyrillic K beside Latin K), invisible and direction-changing characters make two ids that read alike differ"),
    TEMPLATE_BREAK("template-break", Severity.ERROR, "ids and titles are single lines of the prompt; a line break, an empty id or a <BEGIN/<END marker corrupts the category block"),
    NO_VIOLATING_EXAMPLES("no-violating-examples", Severity.WARNING, "without examples of violations, reviewers and guards must guess the clause's reach"),
    NO_SAFE_EXAMPLES("no-safe-examples", Severity.WARNING, "near misses are what keep a guard from over-blocking look-alike content"),
    VAGUE_WORD("vague-word", Severity.WARNING, "hedging words make a clause's boundary a matter of opinion"),
    DUPLICATE_EXAMPLE("duplicate-example", Severity.WARNING, "one text cannot teach two clauses, nor be both violating and safe"),
    ALIAS_CLASH("alias-clash", Severity.WARNING, "an alias names a clause in a guard's reasoning; an empty alias, or one that is another clause's id, title or alias, makes that citation ambiguous"),
    OVERLAPPING_CLAUSES("overlapping-clauses", Severity.WARNING, "clauses worded alike need instructions that say how to choose between them"),
    TOKEN_BUDGET("token-budget", Severity.WARNING, "a prompt longer than the model's budget is truncated and loses the conversation"),
    // Found by judging the policy's own examples with the quick engine (app.ExampleLint), not by the linter itself.
    EXAMPLE_DISAGREES("example-disagrees", Severity.WARNING, "an example the engine would judge otherwise with the example left out is one the rest of the policy does not support: the policy decides such texts only by that one example");

    private final String id;
    private final Severity severity;
    private final String rationale;

    LintRule(String id, Severity severity, String rationale) {
        this.id = id;
        this.severity = severity;
        this.rationale = rationale;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String rationale() {
        return rationale;
    }

    /** A finding of this rule at a position, with the rule's severity. */
    public Diagnostic at(String file, SourcePos pos, String message) {
        return new Diagnostic(file, pos, severity, id, message);
    }
}
