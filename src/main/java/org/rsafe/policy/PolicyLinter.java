package org.rsafe.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.rsafe.util.DidYouMean;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;

/**
 * Checks a policy for mistakes that make a guard judge badly: duplicate or template-breaking ids, clauses
 * without examples, vague wording, repeated examples, look-alike clauses and prompts over budget. Each
 * finding names its {@link LintRule}.
 */
public final class PolicyLinter {

    /**
     * Lint settings. {@code tokenBudget}: the most prompt tokens the model takes (RSafe trains with 2048);
     * {@code template}: the rendering whose length is checked against it (the one you send to the model);
     * {@code paper} when null.
     */
    public record LintOptions(int tokenBudget, PromptTemplate template) {
        public static final int DEFAULT_TOKEN_BUDGET = 2048;

        public LintOptions {
            if (tokenBudget <= 0) {
                throw new IllegalArgumentException("token budget must be positive, got " + tokenBudget);
            }
            template = template == null ? InstalledTemplates.named("paper") : template;
        }

        /** A budget checked against the {@code detailed} rendering, the longest one. */
        public LintOptions(int tokenBudget) {
            this(tokenBudget, InstalledTemplates.named("detailed"));
        }

        public static LintOptions defaults() {
            return new LintOptions(DEFAULT_TOKEN_BUDGET, InstalledTemplates.named("paper"));
        }
    }

    /** The prompt templates on the class path, loaded once on first use. */
    private static final class InstalledTemplates {
        private static final Map<String, PromptTemplate> BY_NAME = load();

        private static Map<String, PromptTemplate> load() {
            Map<String, PromptTemplate> byName = new HashMap<>();
            for (PromptTemplate.Catalog catalog
                    : ServiceLoader.load(PromptTemplate.Catalog.class, PolicyLinter.class.getClassLoader())) {
                catalog.templates().forEach(t -> byName.putIfAbsent(t.cliName(), t));
            }
            return Map.copyOf(byName);
        }

        static PromptTemplate named(String name) {
            PromptTemplate t = BY_NAME.get(name);
            if (t == null) {
                // The prompt package registers its templates in META-INF/services; a build without it is broken.
                throw new IllegalStateException("no prompt template named '" + name + "' is installed");
            }
            return t;
        }
    }

    /** Clauses whose content words overlap more than this (Jaccard) need instructions to separate them. */
    public static final double OVERLAP_LIMIT = 0.5;

    /** Hedging words that leave a clause's boundary to the reader's judgement. */
    public static final List<String> VAGUE_WORDS = List.of("generally", "usually", "typically", "often",
            "inappropriate", "etc.", "and so on", "various", "some", "certain", "may", "might", "possibly",
            "arguably", "questionable");

    private static final Set<String> SEVERITIES = new LinkedHashSet<>(List.of("low", "medium", "high", "critical"));
    private static final String WORD_CHAR = "[\\p{L}\\p{N}_]";
    private static final Pattern VAGUE = Pattern.compile("(?<!" + WORD_CHAR + ")(?:"
            + String.join("|", VAGUE_WORDS.stream()
                    .map(w -> w.equals("etc.") ? "etc\\.?" : w.replace(" ", "\\s+")).toList())
            + ")(?!" + WORD_CHAR + ")", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern MARKER = Pattern.compile("<\\s*(?:BEGIN|END)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CONTENT_WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    /** English function words left out when comparing the wording of two clauses. */
    static final Set<String> STOP_WORDS = Set.of("a", "about", "above", "after", "again", "against", "all", "also",
            "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "below", "between", "both",
            "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else",
            "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
            "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my",
            "neither", "no", "nor", "not", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out",
            "over", "own", "s", "same", "she", "should", "so", "such", "t", "than", "that", "the", "their", "them",
            "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
            "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "whether", "which", "while",
            "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "you", "your");

    private PolicyLinter() { }

    /** Loads and lints a file: load diagnostics plus rule findings, in file order. */
    public static List<Diagnostic> lintFile(Path file, LintOptions options) {
        PolicyLoadResult loaded = PolicyLoader.load(file);
        if (loaded.policy() == null) {
            String text;
            try {
                text = org.rsafe.util.BoundedFiles.readUtf8(file, org.rsafe.util.BoundedFiles.POLICY_BYTES, "a policy file");
            } catch (java.io.IOException | java.io.UncheckedIOException | org.rsafe.util.UserException e) {
                return loaded.diagnostics();
            }
            return withLineScan(loaded, file.toString(), text);
        }
        return combine(loaded, file.toString(), options);
    }

    /** Lints unsaved text (an editor buffer) the way {@link #lintFile} lints a file. */
    public static List<Diagnostic> lintText(String fileName, String yamlText, LintOptions options) {
        PolicyLoadResult loaded = PolicyLoader.parse(fileName, yamlText);
        return loaded.policy() == null ? withLineScan(loaded, fileName, yamlText) : combine(loaded, fileName, options);
    }

    /** A clause list item's id line, as the shipped policies and the docs write it: {@code - id: U1}. */
    private static final java.util.regex.Pattern ID_LINE =
            java.util.regex.Pattern.compile("^(\\s*-\\s+id:\\s*)(['\"]?)([^'\"#\\s][^'\"#]*?)\\2\\s*(#.*)?$");

    /**
     * When the YAML cannot be parsed, nothing after the syntax error can be read as a policy; a line scan
     * still finds duplicate clause ids, so one lint run shows both kinds of mistake instead of one per fix.
     */
    private static List<Diagnostic> withLineScan(PolicyLoadResult loaded, String fileName, String text) {
        List<Diagnostic> all = new ArrayList<>(loaded.diagnostics());
        Map<String, SourcePos> seen = new HashMap<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            java.util.regex.Matcher m = ID_LINE.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String id = m.group(3).strip();
            SourcePos pos = new SourcePos(i + 1, m.start(3) + 1 - m.group(2).length());
            SourcePos first = seen.putIfAbsent(id.toLowerCase(Locale.ROOT), pos);
            if (first != null) {
                all.add(LintRule.DUPLICATE_CLAUSE_ID.at(fileName, pos, "duplicate clause id '" + id
                        + "' (first used at " + first + "; found by a line scan, as the YAML could not be parsed)"));
            }
        }
        return sorted(all);
    }

    private static List<Diagnostic> combine(PolicyLoadResult loaded, String fileName, LintOptions options) {
        if (loaded.policy() == null) {
            return loaded.diagnostics();
        }
        // The loader already ran the value checks; a set keeps those findings from appearing twice.
        Set<Diagnostic> all = new LinkedHashSet<>(loaded.diagnostics());
        all.addAll(lint(loaded.policy(), fileName, options));
        return sorted(new ArrayList<>(all));
    }

    /** Every rule finding for a policy, in file order (value checks included; YAML problems are the loader's). */
    public static List<Diagnostic> lint(Policy policy, String fileName, LintOptions options) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(options, "options");
        Run run = new Run(policy, fileName);
        run.out.addAll(validity(policy, fileName));
        run.clauseCount();
        run.duplicateIds();
        run.emptyFields();
        run.templateBreaks();
        run.idCharacters();
        run.missingExamples();
        run.vagueWords();
        run.duplicateExamples();
        run.aliasClashes();
        run.overlaps();
        run.tokenBudget(options.tokenBudget(), options.template());
        return sorted(run.out);
    }

    /** Checks of values a policy cannot be used with; the loader reports these too. */
    static List<Diagnostic> validity(Policy policy, String file) {
        List<Diagnostic> out = new ArrayList<>();
        if (policy.formatVersion() != 1) {
            out.add(LintRule.FORMAT_VERSION.at(file, policy.posOf("policy"), "unsupported policy format version "
                    + policy.formatVersion() + "; this tool reads 'policy: 1'"));
        }
        Double band = policy.reviewBand();
        if (band != null && !(band >= 0.0 && band <= Policy.MAX_REVIEW_BAND)) {
            out.add(LintRule.REVIEW_BAND_RANGE.at(file, policy.posOf("review_band"), "review_band must be from 0 to "
                    + Policy.MAX_REVIEW_BAND + " standard deviations (0 turns REVIEW off), found " + band));
        }
        for (Clause c : policy.clauses()) {
            if (c.severity() != null && !SEVERITIES.contains(c.severity().strip())) {
                out.add(LintRule.UNKNOWN_VALUE.at(file, c.posOf("severity"), "severity of clause '" + c.id()
                        + "' must be low, medium, high or critical, found '" + c.severity() + "'"
                        + DidYouMean.hint(c.severity().strip(), SEVERITIES)));
            }
            Double t = c.threshold();
            if (t != null && !(t >= 0.0 && t <= 1.0)) {
                out.add(LintRule.THRESHOLD_RANGE.at(file, c.posOf("threshold"), "threshold of clause '" + c.id()
                        + "' must be from 0 to 1, found " + t));
            }
        }
        return out;
    }

    static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> copy = new ArrayList<>(diagnostics);
        copy.sort(Comparator.comparingInt((Diagnostic d) -> d.pos().line()).thenComparingInt(d -> d.pos().column()));
        return List.copyOf(copy);
    }

    /** Word-level similarity of two texts: shared content words over all content words. */
    static double jaccard(String a, String b) {
        Set<String> x = contentWords(a);
        Set<String> y = contentWords(b);
        if (x.isEmpty() || y.isEmpty()) {
            return 0.0;
        }
        Set<String> both = new HashSet<>(x);
        both.retainAll(y);
        Set<String> either = new HashSet<>(x);
        either.addAll(y);
        return (double) both.size() / either.size();
    }

    static Set<String> contentWords(String text) {
        Set<String> words = new HashSet<>();
        Matcher m = CONTENT_WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!STOP_WORDS.contains(m.group())) {
                words.add(m.group());
            }
        }
        return words;
    }

    /** The first code point of an id that is not an ASCII letter, digit, '_', '-' or '.'; -1 when there is none. */
    static int firstOutsideIdAlphabet(String id) {
        return id.codePoints().filter(cp -> !isIdCharacter(cp)).findFirst().orElse(-1);
    }

    static boolean isIdCharacter(int cp) {
        return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9'
                || cp == '_' || cp == '-' || cp == '.';
    }

    /** {@code U+041A CYRILLIC CAPITAL LETTER KA}, so that an invisible or look-alike character can be seen. */
    static String codePoint(int cp) {
        String name = Character.getName(cp);
        return String.format(Locale.ROOT, "U+%04X", cp) + (name == null ? "" : " " + name);
    }

    /** The text with every character outside printable ASCII written as {@code <U+XXXX>}, safe to show in a terminal. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format(Locale.ROOT, "<U+%04X>", cp));
            }
        });
        return sb.toString();
    }

    private static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    static String normalize(String example) {
        return example.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** One lint pass over one policy. */
    private static final class Run {
        private final Policy policy;
        private final String file;
        private final List<Diagnostic> out = new ArrayList<>();
        private final SourceIndex index;

        Run(Policy policy, String file) {
            this.policy = policy;
            this.file = file;
            this.index = new SourceIndex(policy.source().isEmpty() ? null : YamlTree.of(policy.source()));
        }

        void clauseCount() {
            if (policy.clauses().isEmpty() && index.emptyClauseList()) {
                out.add(LintRule.NO_CLAUSES.at(file, policy.posOf("clauses"), "the policy has no clauses"));
            }
        }

        void duplicateIds() {
            Map<String, Clause> seen = new HashMap<>();
            for (Clause c : policy.clauses()) {
                String key = c.id().strip().toLowerCase(Locale.ROOT);
                if (key.isEmpty()) {
                    continue;
                }
                Clause first = seen.putIfAbsent(key, c);
                if (first != null) {
                    out.add(LintRule.DUPLICATE_CLAUSE_ID.at(file, c.posOf("id"), "duplicate clause id '" + c.id()
                            + "' (first used at " + first.posOf("id") + ")"));
                }
            }
        }

        /**
         * Ids are cited in verdicts and compared by eye; outside a small ASCII alphabet two ids can look the same and
         * differ (Cyrillic К1 beside K1, a zero-width space, a right-to-left override). The first character outside
         * the alphabet is reported, at its own place in the file when it can be found there. Line breaks and empty
         * ids are template breaks, reported by {@link #templateBreaks}.
         */
        void idCharacters() {
            for (Clause c : policy.clauses()) {
                String id = c.id();
                if (id.isBlank() || id.chars().anyMatch(ch -> SourceText.isBreak((char) ch))) {
                    continue;
                }
                int bad = firstOutsideIdAlphabet(id);
                if (bad < 0) {
                    continue;
                }
                out.add(LintRule.CLAUSE_ID_CHARACTER.at(file, index.placeOf(c.posOf("id"), bad),
                        "clause id '" + printable(id) + "' contains " + codePoint(bad)
                                + "; clause ids may use only ASCII letters, digits, '_', '-' and '.'"));
            }
        }

        /** An alias must name its clause alone: not blank, not another clause's id, title or alias. */
        void aliasClashes() {
            Map<String, Clause> names = new HashMap<>();
            for (Clause c : policy.clauses()) {
                names.putIfAbsent(c.id().strip().toLowerCase(Locale.ROOT), c);
                names.putIfAbsent(c.title().strip().toLowerCase(Locale.ROOT), c);
            }
            Map<String, Clause> aliasOwners = new HashMap<>();
            for (Clause c : policy.clauses()) {
                for (String alias : c.aliases()) {
                    String key = alias.strip().toLowerCase(Locale.ROOT);
                    if (key.isEmpty()) {
                        out.add(LintRule.ALIAS_CLASH.at(file, c.posOf("aliases"), "clause '" + c.id()
                                + "' has an empty alias"));
                        continue;
                    }
                    Clause named = names.get(key);
                    Clause earlier = aliasOwners.putIfAbsent(key, c);
                    Clause other = named != null && named != c ? named : earlier != null && earlier != c ? earlier : null;
                    if (other != null) {
                        out.add(LintRule.ALIAS_CLASH.at(file, c.posOf("aliases"), "alias '" + alias.strip()
                                + "' of clause '" + c.id() + "' also names clause '" + other.id()
                                + "'; a citation by that name could mean either"));
                    }
                }
            }
        }

        void emptyFields() {
            for (Clause c : policy.clauses()) {
                if (c.title().isBlank() && index.scalarGiven(c, "title")) {
                    out.add(LintRule.EMPTY_FIELD.at(file, c.posOf("title"), "clause '" + c.id() + "' has an empty title"));
                }
                if (c.description().isBlank() && index.scalarGiven(c, "description")) {
                    out.add(LintRule.EMPTY_FIELD.at(file, c.posOf("description"),
                            "clause '" + c.id() + "' has an empty description"));
                }
                for (Example e : concat(c.violating(), c.safe())) {
                    if (e.text().isBlank()) {
                        out.add(LintRule.EMPTY_FIELD.at(file, e.pos(), "clause '" + c.id() + "' has an empty example"));
                    }
                }
            }
        }

        void templateBreaks() {
            for (Clause c : policy.clauses()) {
                if (c.id().isBlank() && index.scalarGiven(c, "id")) {
                    out.add(LintRule.TEMPLATE_BREAK.at(file, c.posOf("id"), "empty clause id; each category line of the "
                            + "prompt starts with the id"));
                }
                for (String field : List.of("id", "title")) {
                    String value = field.equals("id") ? c.id() : c.title();
                    if (value.chars().anyMatch(ch -> SourceText.isBreak((char) ch))) {
                        out.add(LintRule.TEMPLATE_BREAK.at(file, c.posOf(field), "the " + field + " of clause '"
                                + c.id().strip() + "' contains a line break; it must fit on its category line"));
                    }
                }
                markers(c.posOf("id"), c.id(), "the id of clause '" + c.id() + "'");
                markers(c.posOf("title"), c.title(), "the title of clause '" + c.id() + "'");
                markers(c.posOf("description"), c.description(), "the description of clause '" + c.id() + "'");
                for (Example e : concat(c.violating(), c.safe())) {
                    markers(e.pos(), e.text(), "an example of clause '" + c.id() + "'");
                }
            }
            markers(policy.posOf("instructions"), policy.instructions(), "the instructions");
        }

        private void markers(SourcePos pos, String text, String where) {
            for (SourceIndex.Found f : index.find(pos, text, MARKER)) {
                out.add(LintRule.TEMPLATE_BREAK.at(file, f.pos(), where + " contains '" + f.text()
                        + "', which the prompt uses to delimit the categories"));
            }
        }

        void missingExamples() {
            for (Clause c : policy.clauses()) {
                if (c.violating().isEmpty() && index.listOrAbsent(c, "violating")) {
                    out.add(LintRule.NO_VIOLATING_EXAMPLES.at(file, c.posOf("violating"), "clause '" + c.id()
                            + "' has no violating examples"));
                }
                if (c.safe().isEmpty() && index.listOrAbsent(c, "safe")) {
                    out.add(LintRule.NO_SAFE_EXAMPLES.at(file, c.posOf("safe"), "clause '" + c.id()
                            + "' has no safe near-miss examples"));
                }
            }
        }

        void vagueWords() {
            vague(policy.posOf("description"), policy.description(), "the policy description");
            vague(policy.posOf("instructions"), policy.instructions(), "the instructions");
            for (Clause c : policy.clauses()) {
                vague(c.posOf("description"), c.description(), "the description of clause '" + c.id() + "'");
            }
        }

        private void vague(SourcePos pos, String text, String where) {
            for (SourceIndex.Found f : index.find(pos, text, VAGUE)) {
                out.add(LintRule.VAGUE_WORD.at(file, f.pos(), "vague word '" + f.text() + "' in " + where
                        + "; say exactly what is covered"));
            }
        }

        void duplicateExamples() {
            record Seen(Clause clause, String list, Example example) { }
            Map<String, Seen> seen = new HashMap<>();
            for (Clause c : policy.clauses()) {
                for (String list : List.of("violating", "safe")) {
                    for (Example e : list.equals("violating") ? c.violating() : c.safe()) {
                        String key = normalize(e.text());
                        if (key.isEmpty()) {
                            continue;
                        }
                        Seen first = seen.putIfAbsent(key, new Seen(c, list, e));
                        if (first == null) {
                            continue;
                        }
                        String where = first.clause() == c
                                ? (first.list().equals(list) ? "is repeated in the " + list + " examples of clause '"
                                        + c.id() + "'" : "is both violating and safe in clause '" + c.id() + "'")
                                : "also appears in the " + first.list() + " examples of clause '" + first.clause().id() + "'";
                        out.add(LintRule.DUPLICATE_EXAMPLE.at(file, e.pos(), "example " + where + " (first at "
                                + first.example().pos() + ")"));
                    }
                }
            }
        }

        void overlaps() {
            if (policy.hasInstructions()) {
                return;
            }
            List<Clause> clauses = policy.clauses();
            for (int j = 1; j < clauses.size(); j++) {
                for (int i = 0; i < j; i++) {
                    Clause a = clauses.get(i);
                    Clause b = clauses.get(j);
                    double similarity = jaccard(a.title() + " " + a.description(), b.title() + " " + b.description());
                    if (similarity > OVERLAP_LIMIT) {
                        out.add(LintRule.OVERLAPPING_CLAUSES.at(file, b.pos(), String.format(Locale.ROOT,
                                "clauses '%s' and '%s' are worded alike (%.2f of their content words shared, over %.1f) "
                                + "and the policy has no instructions saying how to tell them apart",
                                a.id(), b.id(), similarity, OVERLAP_LIMIT)));
                    }
                }
            }
        }

        void tokenBudget(int budget, PromptTemplate template) {
            int tokens = 0;
            AppliesTo applies = policy.appliesTo();
            if (applies.coversPrompt()) {
                tokens = template.estimatedTokens(policy, false);
            }
            if (applies.coversResponse()) {
                tokens = Math.max(tokens, template.estimatedTokens(policy, true));
            }
            if (tokens > budget) {
                out.add(LintRule.TOKEN_BUDGET.at(file, policy.posOf("clauses"), template.cliName() + " prompt is ~" + tokens
                        + " tokens (estimated) before any conversation, over the budget of " + budget));
            }
        }

        private static List<Example> concat(List<Example> a, List<Example> b) {
            List<Example> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }

    /**
     * The policy's node tree, for what the record alone cannot tell: where inside a scalar a word stands,
     * and whether a field was absent, empty or mistyped in the file.
     */
    static final class SourceIndex {
        record Found(String text, SourcePos pos) { }

        private final YamlTree tree;
        private final Map<SourcePos, ScalarNode> scalars;
        private final Map<SourcePos, MappingNode> mappings;

        SourceIndex(YamlTree tree) {
            this.tree = tree;
            this.scalars = tree == null ? Map.of() : tree.scalarsByStart();
            this.mappings = tree == null ? Map.of() : tree.mappingsByStart();
        }

        /**
         * Matches of {@code pattern} in a value that starts at {@code valueStart}. Each match is placed at its
         * own line and column when the same matches appear, in order, in the scalar's source text (true for
         * plain, quoted and block scalars unless escapes hide a word); otherwise at the value's start.
         */
        List<Found> find(SourcePos valueStart, String value, Pattern pattern) {
            List<String> inValue = new ArrayList<>();
            Matcher m = pattern.matcher(value);
            while (m.find()) {
                inValue.add(m.group());
            }
            if (inValue.isEmpty()) {
                return List.of();
            }
            List<Found> found = new ArrayList<>();
            ScalarNode node = scalars.get(valueStart);
            if (node != null) {
                int from = tree.startOffset(node);
                int to = tree.endOffset(node);
                SourceText src = tree.source();
                if (YamlTree.isBlockScalar(node)) {
                    // Skip the header line: a comment there is not part of the value.
                    from = Math.min(to, src.nextLineStart(src.lineOf(from)));
                }
                Matcher s = pattern.matcher(src.text()).region(from, to);
                while (s.find()) {
                    found.add(new Found(s.group(), src.pos(s.start())));
                }
            }
            boolean aligned = found.size() == inValue.size();
            for (int i = 0; aligned && i < found.size(); i++) {
                aligned = normalize(found.get(i).text()).equals(normalize(inValue.get(i)));
            }
            if (aligned) {
                return found.stream().map(f -> new Found(collapse(f.text()), f.pos())).toList();
            }
            return inValue.stream().map(w -> new Found(collapse(w), valueStart)).toList();
        }

        /**
         * Where a code point of the value starting at {@code valueStart} stands in the file: its first occurrence
         * in the scalar's source text, or the value's start when it is not written there as itself (an escape).
         */
        SourcePos placeOf(SourcePos valueStart, int codePoint) {
            ScalarNode node = scalars.get(valueStart);
            if (node == null) {
                return valueStart;
            }
            SourceText src = tree.source();
            int from = tree.startOffset(node);
            int to = tree.endOffset(node);
            int at = src.text().indexOf(new String(Character.toChars(codePoint)), from);
            return at >= 0 && at < to ? src.pos(at) : valueStart;
        }

        /**
         * Whether the file gives the policy's clause list as a list (or no value) that is empty: a
         * mistyped value was reported by the loader already.
         */
        boolean emptyClauseList() {
            if (tree == null) {
                return true;
            }
            NodeTuple t = tree.root() instanceof MappingNode root ? YamlTree.entry(root, "clauses") : null;
            Node v = t == null ? null : t.getValueNode();
            return v instanceof SequenceNode s && s.getValue().isEmpty() || YamlTree.isNull(v);
        }

        /**
         * Whether a clause's field holds text in the file, so that an empty value is the author's and not
         * the loader's stand-in for a missing or mistyped one (both reported by the loader). Policies built in
         * code have no file: every field counts as given.
         */
        boolean scalarGiven(Clause c, String field) {
            if (tree == null || !c.pos().known()) {
                return true;
            }
            Node v = value(c, field);
            return v instanceof ScalarNode;
        }

        /** Whether a clause's example list is absent, empty or empty-valued (not mistyped) in the file. */
        boolean listOrAbsent(Clause c, String field) {
            if (tree == null || !c.pos().known()) {
                return true;
            }
            Node v = value(c, field);
            return v == null || v instanceof SequenceNode s && s.getValue().isEmpty() || YamlTree.isNull(v);
        }

        private Node value(Clause c, String field) {
            Node clause = mappings.get(c.pos());
            NodeTuple t = clause instanceof MappingNode m ? YamlTree.entry(m, field) : null;
            return t == null ? null : t.getValueNode();
        }
    }
}
