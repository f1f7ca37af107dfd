package org.rsafe.ui.result;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.policy.Clause;
import org.rsafe.trace.Citation;
import org.rsafe.trace.CitationAudit;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.TraceStep;
import org.rsafe.trace.Verdict;
import org.rsafe.ui.bench.BenchResult;

/**
 * State of the result panel: verdict, clause scores, the guard prompt, and the trace with its selection.
 * Selecting a step names the clauses it cites and the span of raw output it came from; focusing a clause
 * (from the outline) names the steps that cite it.
 */
public final class ResultViewModel {

    /** A [start, end) range of the raw output. */
    public record Span(int start, int end) { }

    private final ReadOnlyBooleanWrapper hasResult = new ReadOnlyBooleanWrapper(this, "hasResult");
    private final ReadOnlyObjectWrapper<Verdict> verdict = new ReadOnlyObjectWrapper<>(this, "verdict", Verdict.UNKNOWN);
    private final ReadOnlyStringWrapper verdictText = new ReadOnlyStringWrapper(this, "verdictText", "NO RESULT");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "Run a prompt to see a judgement.");
    private final ObservableList<ClauseScore> scores = FXCollections.observableArrayList();
    // One read-only view, kept: listeners on a view that is re-created per call would be lost to GC.
    private final ObservableList<ClauseScore> scoresReadOnly = FXCollections.unmodifiableObservableList(scores);
    private final ObservableList<TraceStep> steps = FXCollections.observableArrayList();
    // One read-only view, kept: listeners on a view that is re-created per call would be lost to GC.
    private final ObservableList<TraceStep> stepsReadOnly = FXCollections.unmodifiableObservableList(steps);
    private final ReadOnlyStringWrapper rawOutput = new ReadOnlyStringWrapper(this, "rawOutput", "");
    private final ReadOnlyStringWrapper guardPrompt = new ReadOnlyStringWrapper(this, "guardPrompt", "");
    private final ReadOnlyStringWrapper guardPromptHeading = new ReadOnlyStringWrapper(this, "guardPromptHeading", "Prompt sent");
    private final ObjectProperty<TraceStep> selectedStep = new SimpleObjectProperty<>(this, "selectedStep");
    private final ObjectProperty<String> focusedClause = new SimpleObjectProperty<>(this, "focusedClause");
    private final ReadOnlyObjectWrapper<Set<String>> citedBySelected = new ReadOnlyObjectWrapper<>(this, "citedBySelected", Set.of());
    private final ReadOnlyObjectWrapper<Span> selectedSpan = new ReadOnlyObjectWrapper<>(this, "selectedSpan");
    private final ReadOnlyObjectWrapper<Set<Integer>> stepsCitingFocused =
            new ReadOnlyObjectWrapper<>(this, "stepsCitingFocused", Set.of());

    public ResultViewModel() {
        selectedStep.addListener((obs, old, step) -> {
            if (step == null) {
                citedBySelected.set(Set.of());
                selectedSpan.set(null);
            } else {
                citedBySelected.set(step.citations().stream().map(Citation::clauseId)
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
                selectedSpan.set(new Span(step.start(), step.end()));
            }
        });
        focusedClause.addListener((obs, old, id) -> refreshFocus());
    }

    public void show(BenchResult result) {
        Judgement j = result.judgement();
        selectedStep.set(null);
        verdict.set(j.verdict());
        verdictText.set(j.verdict() == Verdict.UNKNOWN ? "NO ANSWER" : j.verdict().label().toUpperCase(java.util.Locale.ROOT));
        summary.set(summaryOf(result));
        List<ClauseScore> rows = new ArrayList<>();
        Map<String, Double> s = j.clauseScores();
        for (Clause c : result.policy().clauses()) {
            Double score = s.get(c.id());
            if (score != null) {
                rows.add(new ClauseScore(c.id(), c.title(), score, j.flaggedClauses().contains(c.id())));
            }
        }
        // Engines may score clause ids the policy no longer has (edited since); show them rather than hide them.
        s.forEach((id, score) -> {
            if (result.policy().clause(id).isEmpty()) {
                rows.add(new ClauseScore(id, "", score, j.flaggedClauses().contains(id)));
            }
        });
        scores.setAll(rows);
        steps.setAll(j.steps());
        rawOutput.set(j.rawOutput());
        guardPrompt.set(result.guardPrompt());
        guardPromptHeading.set(result.promptSent() ? "Prompt sent to the model"
                : "Guard prompt (what an LLM engine receives; the quick engine sends none)");
        hasResult.set(true);
        refreshFocus();
    }

    public void clear() {
        selectedStep.set(null);
        verdict.set(Verdict.UNKNOWN);
        verdictText.set("NO RESULT");
        summary.set("Run a prompt to see a judgement.");
        scores.clear();
        steps.clear();
        rawOutput.set("");
        guardPrompt.set("");
        hasResult.set(false);
    }

    private static String summaryOf(BenchResult r) {
        Judgement j = r.judgement();
        StringBuilder sb = new StringBuilder();
        if (j.flaggedClauses().isEmpty()) {
            sb.append("no clause flagged");
        } else {
            sb.append("flagged ").append(String.join(", ", j.flaggedClauses()));
        }
        sb.append(" · ").append(j.steps().size()).append(j.steps().size() == 1 ? " step" : " steps");
        sb.append(" · ").append(j.latencyMillis()).append(" ms");
        if (!j.engine().engine().isEmpty()) {
            sb.append(" · ").append(j.engine().engine());
        }
        if (j.parseFailure()) {
            sb.append(" · the output held no answer (parse failure)");
        }
        if (j.engineError()) {
            sb.append(" · the engine failed: ").append(j.error());
        }
        String audit = CitationAudit.of(j).summary();
        if (!audit.isEmpty()) {
            sb.append(" · ⚠ ").append(audit);
        }
        return sb.toString();
    }

    private void refreshFocus() {
        String id = focusedClause.get();
        if (id == null) {
            stepsCitingFocused.set(Set.of());
            return;
        }
        Set<Integer> hits = new LinkedHashSet<>();
        for (TraceStep step : steps) {
            if (step.cites(id)) {
                hits.add(step.index());
            }
        }
        stepsCitingFocused.set(hits);
    }

    // ---- properties -------------------------------------------------------------------------------

    public ReadOnlyBooleanProperty hasResultProperty() {
        return hasResult.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Verdict> verdictProperty() {
        return verdict.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty verdictTextProperty() {
        return verdictText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ObservableList<ClauseScore> scores() {
        return scoresReadOnly;
    }

    public ObservableList<TraceStep> steps() {
        return stepsReadOnly;
    }

    public ReadOnlyStringProperty rawOutputProperty() {
        return rawOutput.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty guardPromptProperty() {
        return guardPrompt.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty guardPromptHeadingProperty() {
        return guardPromptHeading.getReadOnlyProperty();
    }

    public ObjectProperty<TraceStep> selectedStepProperty() {
        return selectedStep;
    }

    public ObjectProperty<String> focusedClauseProperty() {
        return focusedClause;
    }

    /** Clause ids cited by the selected step, in citation order. */
    public ReadOnlyObjectProperty<Set<String>> citedBySelectedProperty() {
        return citedBySelected.getReadOnlyProperty();
    }

    /** The raw-output span of the selected step, or null. */
    public ReadOnlyObjectProperty<Span> selectedSpanProperty() {
        return selectedSpan.getReadOnlyProperty();
    }

    /** Indexes of the steps that cite the focused clause. */
    public ReadOnlyObjectProperty<Set<Integer>> stepsCitingFocusedProperty() {
        return stepsCitingFocused.getReadOnlyProperty();
    }
}
