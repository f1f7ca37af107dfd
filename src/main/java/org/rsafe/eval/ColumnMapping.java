package org.rsafe.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.rsafe.util.UserException;

/**
 * Which columns of a dataset hold the id, the text, the response, the gold label and the categories, and how label
 * values read. {@link #detect} finds them from the header and a sample of rows; withers override single columns.
 *
 * @param idColumn         column with row ids, or null (ids become {@code row-N})
 * @param textColumn       column with the user text; null only in a detection result that found none
 * @param responseColumn   column with the response to judge, or null for prompt-level data
 * @param labelColumn      column with the gold label, or null (unlabelled, or labels from flag columns)
 * @param categoriesColumn column with gold categories ({@code a;b}, or a JSON array), or null
 * @param labels           how label values (or flag columns) become safe/unsafe
 * @param splitTranscript  the text column holds {@code "Human user:\n…\n\nAI assistant:\n…"} transcripts (the
 *                         GuardReasoner benchmark files): the part after "AI assistant:" is the response, and the
 *                         literal {@code None} there means no response
 */
public record ColumnMapping(String idColumn, String textColumn, String responseColumn, String labelColumn,
                            String categoriesColumn, LabelMapping labels, boolean splitTranscript) {

    static final String HUMAN = "Human user:";
    static final String ASSISTANT = "\n\nAI assistant:\n";

    private static final List<String> ID_NAMES = List.of("id", "idx", "index", "uid", "uuid", "sample_id", "row_id",
            "example_id", "prompt_id", "key");
    private static final List<String> TEXT_NAMES = List.of("prompt", "prompts", "text", "user_input", "user_prompt",
            "question", "goal", "behavior", "query", "message", "content", "input", "instruction");
    private static final List<String> TEXT_FRAGMENTS = List.of("prompt", "text", "question", "query");
    private static final List<String> RESPONSE_NAMES = List.of("response", "responses", "answer", "completion",
            "output", "generation", "model_response", "model_output", "assistant", "assistant_response", "reply",
            "response_text");
    private static final List<String> LABEL_NAMES = List.of("label", "labels", "gold", "gold_label", "is_safe", "safe",
            "is_unsafe", "unsafe", "is_harmful", "harmful", "harmfulness", "toxicity", "toxic", "flagged", "verdict",
            "class", "category", "output");
    /** Names that say "label" so plainly that the column is used even when some values are not understood. */
    private static final Set<String> STRONG_LABEL_NAMES = Set.of("label", "labels", "gold", "goldlabel", "issafe",
            "safe", "isunsafe", "unsafe", "isharmful", "harmful", "harmfulness", "toxicity", "toxic", "flagged");
    private static final Set<String> INVERTED_NAMES = Set.of("issafe", "safe");
    private static final List<String> CATEGORY_NAMES = List.of("categories", "category", "harm_category",
            "harm_categories", "harm_area", "violated_categories", "tags");

    public ColumnMapping {
        labels = labels == null ? LabelMapping.DEFAULT : labels;
        if (textColumn != null && (textColumn.equals(responseColumn) || textColumn.equals(labelColumn))) {
            throw new IllegalArgumentException("column '" + textColumn + "' cannot be both the text and another role");
        }
        if (labelColumn != null && labelColumn.equals(responseColumn)) {
            throw new IllegalArgumentException("column '" + labelColumn + "' cannot be both the label and the response");
        }
        if (labelColumn != null && labels.flags()) {
            throw new IllegalArgumentException("a mapping has either a label column or flag columns, not both");
        }
    }

    public ColumnMapping(String idColumn, String textColumn, String responseColumn, String labelColumn,
                         String categoriesColumn, LabelMapping labels) {
        this(idColumn, textColumn, responseColumn, labelColumn, categoriesColumn, labels, false);
    }

    /** The shared benchmark shape: id, prompt, response, label, categories. */
    public static ColumnMapping standard() {
        return new ColumnMapping("id", "prompt", "response", "label", "categories", LabelMapping.DEFAULT);
    }

    public ColumnMapping withIdColumn(String c) {
        return new ColumnMapping(c, textColumn, responseColumn, labelColumn, categoriesColumn, labels, splitTranscript);
    }

    public ColumnMapping withTextColumn(String c) {
        return new ColumnMapping(idColumn, c, responseColumn, labelColumn, categoriesColumn, labels, splitTranscript);
    }

    public ColumnMapping withResponseColumn(String c) {
        return new ColumnMapping(idColumn, textColumn, c, labelColumn, categoriesColumn, labels, splitTranscript);
    }

    public ColumnMapping withLabelColumn(String c) {
        return new ColumnMapping(idColumn, textColumn, responseColumn, c, categoriesColumn, labels, splitTranscript);
    }

    public ColumnMapping withCategoriesColumn(String c) {
        return new ColumnMapping(idColumn, textColumn, responseColumn, labelColumn, c, labels, splitTranscript);
    }

    public ColumnMapping withLabels(LabelMapping l) {
        return new ColumnMapping(idColumn, textColumn, responseColumn, labelColumn, categoriesColumn, l, splitTranscript);
    }

    public ColumnMapping withSplitTranscript(boolean split) {
        return new ColumnMapping(idColumn, textColumn, responseColumn, labelColumn, categoriesColumn, labels, split);
    }

    /** Whether rows get a gold label (from a label column or from flag columns). */
    public boolean labelled() {
        return labelColumn != null || labels.flags();
    }

    /** Every column this mapping reads (the others end up in {@link LabelledRow#extra()}). */
    public Set<String> usedColumns() {
        Set<String> used = new LinkedHashSet<>();
        for (String c : new String[] {idColumn, textColumn, responseColumn, labelColumn, categoriesColumn}) {
            if (c != null) {
                used.add(c);
            }
        }
        used.addAll(labels.flagColumns());
        return used;
    }

    /** One line per role, for notes and the CLI. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("text=").append(show(textColumn));
        sb.append(", response=").append(splitTranscript ? "(from transcript)" : show(responseColumn));
        if (labels.flags()) {
            sb.append(", label=any of ").append(String.join(",", labels.flagColumns()));
        } else {
            sb.append(", label=").append(show(labelColumn));
            if (labelColumn != null && labels.inverted()) {
                sb.append(" (inverted)");
            }
            if (labelColumn != null && labels.valueKey() != null) {
                sb.append(" (value after '").append(labels.valueKey()).append(":')");
            }
        }
        sb.append(", id=").append(show(idColumn));
        sb.append(", categories=").append(show(categoriesColumn));
        return sb.toString();
    }

    private static String show(String column) {
        return column == null ? "-" : column;
    }

    /** Auto-detection with no user overrides. */
    public static DetectedMapping detect(List<String> header, List<Map<String, String>> sampleRows) {
        return detect(header, sampleRows, MappingOverrides.NONE);
    }

    /**
     * Finds each role's column: by header name first (a list of common names, compared ignoring case and
     * punctuation), then checked against the sample values (a label column must hold label values; a "category"
     * column with harm names is used as categories instead). Columns fixed by {@code overrides} are taken as given.
     *
     * @throws UserException when an override names a column that is not in the header
     */
    public static DetectedMapping detect(List<String> header, List<Map<String, String>> sampleRows,
                                         MappingOverrides overrides) {
        Objects.requireNonNull(header, "header");
        List<Map<String, String>> samples = sampleRows == null ? List.of() : sampleRows;
        MappingOverrides o = overrides == null ? MappingOverrides.NONE : overrides;
        List<String> notes = new ArrayList<>();
        Set<String> taken = new HashSet<>();

        String id = resolveOverride(header, o.idColumn(), "--id-col", taken);
        String text = resolveOverride(header, o.textColumn(), "--text-col", taken);
        String response = resolveOverride(header, o.responseColumn(), "--response-col", taken);
        String label = resolveOverride(header, o.labelColumn(), "--label-col", taken);
        String categories = resolveOverride(header, o.categoriesColumn(), "--categories-col", taken);
        List<String> flagColumns = null;
        if (o.flagColumns() != null) {
            flagColumns = new ArrayList<>();
            for (String f : o.flagColumns()) {
                flagColumns.add(resolveOverride(header, f, "--flag-cols", taken));
            }
        }

        if (o.idColumn() == null) {
            id = findByName(header, ID_NAMES, taken);
            take(taken, id);
        }
        if (o.textColumn() == null) {
            text = findText(header, samples, taken);
            take(taken, text);
            if (text == null) {
                notes.add("no text column found among " + header + "; name it with --text-col");
            }
        }

        LabelMapping labels = LabelMapping.DEFAULT;
        if (flagColumns != null) {
            labels = LabelMapping.anyFlag(flagColumns);
            label = null;
        } else if (o.labelColumn() == null) {
            LabelChoice choice = findLabel(header, samples, taken, notes);
            if (choice != null) {
                label = choice.column();
                labels = choice.labels();
                take(taken, label);
            } else {
                List<String> flags = findFlags(header, samples, taken);
                if (flags.size() >= 2) {
                    labels = LabelMapping.anyFlag(flags);
                    taken.addAll(flags);
                    notes.add("no label column; label = unsafe if any of the 0/1 columns " + flags
                            + " is 1, and the categories are the columns that are 1");
                } else {
                    notes.add("no label column found: rows are unlabelled (name one with --label-col)");
                }
            }
        } else if (label != null) {
            boolean inverted = INVERTED_NAMES.contains(normaliseName(label));
            LabelChoice fit = fitLabel(label, values(samples, label), inverted, false);
            labels = fit != null ? fit.labels() : LabelMapping.DEFAULT.withInverted(inverted);
        }
        if (o.unsafeValues() != null || o.safeValues() != null) {
            labels = labels.withValues(o.unsafeValues(), o.safeValues());
            notes.add("label values from flags: " + labels.understood());
        }

        if (o.responseColumn() == null) {
            response = findByName(header, RESPONSE_NAMES, taken);
            if (response != null && label != null && labelsPrompts(label)) {
                // Aegis/WildGuard-style files carry prompt_label and response_label side by side: judging the
                // response against the prompt's label would measure the wrong thing.
                notes.add("label column '" + label + "' labels the prompts, so the response column '" + response
                        + "' is not judged; for response-level labels name the response's label column with "
                        + "--label-col (the responses are then judged)");
                response = null;
            }
            take(taken, response);
            if (response != null && values(samples, response).isEmpty() && !samples.isEmpty()) {
                notes.add("response column '" + response + "' is empty in the sampled rows: those rows are prompt-level");
            }
        }
        if (o.categoriesColumn() == null) {
            categories = findByName(header, CATEGORY_NAMES, taken);
            take(taken, categories);
        }

        boolean split = false;
        if (response == null && text != null && o.responseColumn() == null) {
            List<String> texts = values(samples, text);
            split = !texts.isEmpty() && texts.stream().allMatch(ColumnMapping::looksLikeTranscript);
            if (split) {
                notes.add("column '" + text + "' holds 'Human user: … AI assistant: …' transcripts: the part after "
                        + "'AI assistant:' is the response ('None' = no response)");
            }
        }

        ColumnMapping mapping = new ColumnMapping(id, text, response, label, categories, labels, split);
        notes.add(0, "columns: " + mapping.describe());
        if (label != null && labels.inverted()) {
            notes.add("label column '" + label + "' says whether a row is SAFE: 1/true/yes are read as safe");
        }
        if (label != null && labels.valueKey() != null) {
            notes.add("label column '" + label + "' holds 'Key: value' lines; the value after '" + labels.valueKey()
                    + ":' is the label");
        }
        return new DetectedMapping(mapping, notes);
    }

    /** Splits a GuardReasoner-style transcript into prompt and response (null when the response is "None"). */
    static String[] splitTranscript(String value) {
        int start = value.indexOf(HUMAN);
        int cut = value.lastIndexOf(ASSISTANT);
        if (start < 0 || cut < start) {
            return null;
        }
        String prompt = value.substring(start + HUMAN.length(), cut);
        if (prompt.startsWith("\n")) {
            prompt = prompt.substring(1);
        }
        String response = value.substring(cut + ASSISTANT.length()).stripTrailing();
        return new String[] {prompt, response.isEmpty() || response.equals("None") ? null : response};
    }

    private static boolean looksLikeTranscript(String value) {
        return value.stripLeading().startsWith(HUMAN) && value.contains(ASSISTANT);
    }

    /**
     * A label column named for the prompt ("prompt_label", "prompt_harm_label"), not for the response; or a
     * toxicity label ("toxicity", "toxic"), which in the public sets that have one (ToxicChat: user_input,
     * model_output, toxicity) rates what the user wrote.
     */
    static boolean labelsPrompts(String labelColumn) {
        String n = normaliseName(labelColumn);
        return n.contains("prompt") && !n.contains("response") || n.equals("toxicity") || n.equals("toxic");
    }

    /** Header names compare ignoring case, spaces and punctuation: "User Input" matches "user_input". */
    static String normaliseName(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String resolveOverride(List<String> header, String given, String flag, Set<String> taken) {
        if (given == null || MappingOverrides.absent(given)) {
            return null;
        }
        String found = header.contains(given) ? given : null;
        if (found == null) {
            for (String h : header) {
                if (normaliseName(h).equals(normaliseName(given))) {
                    found = h;
                    break;
                }
            }
        }
        if (found == null) {
            throw new UserException("column '" + given + "' (" + flag + ") is not in the data; columns are: "
                    + String.join(", ", header));
        }
        taken.add(found);
        return found;
    }

    private static void take(Set<String> taken, String column) {
        if (column != null) {
            taken.add(column);
        }
    }

    private static String findByName(List<String> header, List<String> names, Set<String> taken) {
        for (String name : names) {
            String n = normaliseName(name);
            for (String h : header) {
                if (!taken.contains(h) && normaliseName(h).equals(n)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static String findText(List<String> header, List<Map<String, String>> samples, Set<String> taken) {
        String byName = findByName(header, TEXT_NAMES, taken);
        if (byName != null) {
            return byName;
        }
        for (String fragment : TEXT_FRAGMENTS) {
            for (String h : header) {
                if (taken.contains(h) || !normaliseName(h).contains(fragment)) {
                    continue;
                }
                List<String> vals = values(samples, h);
                boolean labelLike = !vals.isEmpty()
                        && vals.stream().allMatch(v -> LabelMapping.DEFAULT.map(v).isPresent());
                if (!labelLike) {
                    return h;
                }
            }
        }
        return null;
    }

    private record LabelChoice(String column, LabelMapping labels) { }

    private static LabelChoice findLabel(List<String> header, List<Map<String, String>> samples, Set<String> taken,
                                         List<String> notes) {
        for (String name : LABEL_NAMES) {
            for (String h : header) {
                if (taken.contains(h) || !normaliseName(h).equals(normaliseName(name))) {
                    continue;
                }
                List<String> vals = values(samples, h);
                if (vals.isEmpty() && !samples.isEmpty()) {
                    notes.add("column '" + h + "' is empty in the sampled rows, so it is not used as the label");
                    continue;
                }
                boolean inverted = INVERTED_NAMES.contains(normaliseName(h));
                LabelChoice fit = fitLabel(h, vals, inverted, false);
                if (fit != null) {
                    return fit;
                }
                if (STRONG_LABEL_NAMES.contains(normaliseName(h))) {
                    // The name leaves no doubt; rows with values we do not understand become bad rows that say so.
                    notes.add("label column '" + h + "' holds values such as '" + abbreviate(firstUnmapped(vals))
                            + "' that are not understood; give them with --unsafe-values / --safe-values");
                    return new LabelChoice(h, LabelMapping.DEFAULT.withInverted(inverted));
                }
                notes.add("column '" + h + "' is not used as the label: it holds values such as '"
                        + abbreviate(firstUnmapped(vals)) + "' that are not labels");
            }
        }
        // No label-like name: accept any column whose values are label words (e.g. GuardReasoner's "output").
        for (String h : header) {
            if (taken.contains(h)) {
                continue;
            }
            LabelChoice fit = fitLabel(h, values(samples, h), false, true);
            if (fit != null) {
                notes.add("column '" + h + "' holds label words, so it is used as the label");
                return fit;
            }
        }
        return null;
    }

    /** A mapping that reads every sampled value of a column, or null; words-only rejects 0/1 and true/false. */
    private static LabelChoice fitLabel(String column, List<String> vals, boolean inverted, boolean wordsOnly) {
        if (vals.isEmpty()) {
            return wordsOnly ? null : new LabelChoice(column, LabelMapping.DEFAULT.withInverted(inverted));
        }
        LabelMapping direct = LabelMapping.DEFAULT.withInverted(inverted);
        if (allRead(direct, vals, wordsOnly)) {
            return new LabelChoice(column, direct);
        }
        List<String> keys = LabelMapping.keys(vals.get(0));
        for (int i = keys.size() - 1; i >= 0; i--) {
            LabelMapping keyed = direct.withValueKey(keys.get(i));
            if (allRead(keyed, vals, wordsOnly)) {
                return new LabelChoice(column, keyed);
            }
        }
        return null;
    }

    private static boolean allRead(LabelMapping m, List<String> vals, boolean wordsOnly) {
        for (String v : vals) {
            if (m.map(v).isEmpty()) {
                return false;
            }
            if (wordsOnly && LabelMapping.flagValue(m.valueKey() == null ? v
                    : Optional.ofNullable(LabelMapping.keyedValue(v, m.valueKey())).orElse("")).isPresent()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> findFlags(List<String> header, List<Map<String, String>> samples, Set<String> taken) {
        List<String> flags = new ArrayList<>();
        for (String h : header) {
            if (taken.contains(h)) {
                continue;
            }
            List<String> vals = values(samples, h);
            if (!vals.isEmpty() && vals.stream().allMatch(v -> LabelMapping.flagValue(v).isPresent())) {
                flags.add(h);
            }
        }
        return flags;
    }

    /** The non-blank sampled values of a column. */
    private static List<String> values(List<Map<String, String>> samples, String column) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> row : samples) {
            String v = row.get(column);
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }

    private static String firstUnmapped(List<String> vals) {
        for (String v : vals) {
            if (LabelMapping.DEFAULT.map(v).isEmpty()) {
                return v;
            }
        }
        return vals.isEmpty() ? "" : vals.get(0);
    }

    static String abbreviate(String s) {
        String one = s.replace("\n", "\\n").replace("\r", "\\r");
        return one.length() <= 40 ? one : one.substring(0, 37) + "...";
    }
}
