package org.rsafe.policy;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rsafe.util.BoundedFiles;
import org.rsafe.util.DidYouMean;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.StrictUtf8;
import org.rsafe.util.UserException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads policy files (format version 1) into {@link Policy} records, keeping the position of every value
 * and reporting each problem as a {@link Diagnostic} instead of throwing.
 */
public final class PolicyLoader {

    static final List<String> POLICY_KEYS =
            List.of("policy", "id", "name", "version", "description", "applies_to", "instructions", "review_band",
                    "clauses");
    static final List<String> REQUIRED_POLICY_KEYS =
            List.of("policy", "id", "name", "version", "description", "applies_to", "clauses");
    static final List<String> CLAUSE_KEYS =
            List.of("id", "title", "description", "violating", "safe", "severity", "threshold", "aliases");
    static final List<String> REQUIRED_CLAUSE_KEYS = List.of("id", "title", "description");

    private PolicyLoader() { }

    /** Loads a file; a missing or unreadable file is reported as an error diagnostic, not thrown. */
    public static PolicyLoadResult load(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = BoundedFiles.readAllBytes(file, BoundedFiles.POLICY_BYTES, "a policy file");
        } catch (BoundedFiles.TooLarge e) {
            return failure(Diagnostic.error(name, SourcePos.UNKNOWN, null, e.getMessage().substring(name.length() + 2)));
        } catch (NoSuchFileException e) {
            return failure(Diagnostic.error(name, SourcePos.UNKNOWN, null, "no such file"));
        } catch (IOException e) {
            return failure(Diagnostic.error(name, SourcePos.UNKNOWN, null, "cannot read file: " + e.getMessage()));
        }
        String text;
        try {
            text = StrictUtf8.decode(name, bytes);
        } catch (UserException e) {
            return failure(e.diagnostics().get(0));
        }
        return parse(name, text);
    }

    /** Loads a file that must be usable; throws a {@link UserException} carrying its errors otherwise. */
    public static Policy loadOrThrow(Path file) {
        PolicyLoadResult result = load(file);
        if (!result.ok()) {
            throw new UserException(result.errors());
        }
        return result.policy();
    }

    /** Parses policy text; {@code fileName} is only used to label diagnostics. */
    public static PolicyLoadResult parse(String fileName, String yamlText) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(yamlText, "yamlText");
        YamlTree.Composed composed = YamlTree.compose(yamlText);
        if (composed.failed()) {
            return failure(LintRule.YAML_SYNTAX.at(fileName, composed.errorPos(), composed.error()));
        }
        Node root = composed.root();
        if (root == null) {
            return failure(LintRule.MISSING_FIELD.at(fileName, new SourcePos(1, 1),
                    "the file has no content; a policy starts with 'policy: 1'"));
        }
        if (!(root instanceof MappingNode mapping)) {
            return failure(LintRule.WRONG_TYPE.at(fileName, YamlTree.start(root),
                    "a policy file must be a mapping of keys (policy, id, name, ...), found " + kind(root)));
        }
        Builder builder = new Builder(fileName);
        Policy policy = builder.policy(mapping, yamlText);
        List<Diagnostic> diagnostics = new ArrayList<>(builder.diagnostics);
        diagnostics.addAll(PolicyLinter.validity(policy, fileName));
        return new PolicyLoadResult(policy, PolicyLinter.sorted(diagnostics));
    }

    private static PolicyLoadResult failure(Diagnostic diagnostic) {
        return new PolicyLoadResult(null, List.of(diagnostic));
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
            return "no value";
        }
        return "the text '" + abbreviate(((ScalarNode) node).getValue()) + "'";
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 40 ? one.substring(0, 37) + "..." : one;
    }

    /** Walks the node tree once, collecting values, positions and diagnostics. */
    private static final class Builder {
        private final String file;
        private final List<Diagnostic> diagnostics = new ArrayList<>();

        Builder(String file) {
            this.file = file;
        }

        Policy policy(MappingNode root, String source) {
            Map<String, NodeTuple> entries = entries(root, POLICY_KEYS, "policy");
            Map<String, SourcePos> positions = positions(entries);
            requireKeys(entries, REQUIRED_POLICY_KEYS, YamlTree.start(root), "the policy");

            // An unreadable version is reported here; 1 keeps the version check from reporting it again.
            int formatVersion = 1;
            NodeTuple versionEntry = entries.get("policy");
            if (versionEntry != null) {
                Node v = versionEntry.getValueNode();
                Integer parsed = v instanceof ScalarNode s && Tag.INT.equals(s.getTag()) ? parseInt(s.getValue()) : null;
                if (parsed == null) {
                    error(LintRule.WRONG_TYPE, v, "'policy' is the format version and must be the number 1, found " + kind(v));
                } else {
                    formatVersion = parsed;
                }
            }
            AppliesTo appliesTo = null;
            NodeTuple appliesEntry = entries.get("applies_to");
            String applies = text(appliesEntry, "applies_to");
            if (applies != null) {
                appliesTo = appliesTo(applies);
                if (appliesTo == null) {
                    List<String> names = List.of("prompt", "response", "both");
                    error(LintRule.UNKNOWN_VALUE, appliesEntry.getValueNode(), "applies_to must be prompt, response or both, found '"
                            + applies + "'" + DidYouMean.hint(applies, names));
                }
            }
            Double reviewBand = number(entries.get("review_band"),
                    "review_band must be a number of standard deviations from 0 to " + Policy.MAX_REVIEW_BAND);
            List<Clause> clauses = clauses(entries.get("clauses"));
            return new Policy(formatVersion, text(entries.get("id"), "id"), text(entries.get("name"), "name"),
                    text(entries.get("version"), "version"), text(entries.get("description"), "description"),
                    appliesTo, text(entries.get("instructions"), "instructions"), clauses, positions, source,
                    reviewBand);
        }

        private static AppliesTo appliesTo(String value) {
            for (AppliesTo a : AppliesTo.values()) {
                if (a.yamlName().equals(value.strip())) {
                    return a;
                }
            }
            return null;
        }

        private List<Clause> clauses(NodeTuple entry) {
            if (entry == null) {
                return List.of();
            }
            Node value = entry.getValueNode();
            if (isNull(value)) {
                return List.of();
            }
            if (!(value instanceof SequenceNode seq)) {
                error(LintRule.WRONG_TYPE, value, "'clauses' must be a list of clauses (each starting with '- id: ...'), found "
                        + kind(value));
                return List.of();
            }
            List<Clause> clauses = new ArrayList<>();
            int index = 0;
            for (Node item : seq.getValue()) {
                index++;
                if (item instanceof MappingNode m) {
                    clauses.add(clause(m, index));
                } else {
                    error(LintRule.WRONG_TYPE, item, "clause " + index
                            + " must be a mapping with id, title, description, violating and safe, found " + kind(item));
                }
            }
            return clauses;
        }

        private Clause clause(MappingNode m, int index) {
            Map<String, NodeTuple> entries = entries(m, CLAUSE_KEYS, "clause");
            String id = text(entries.get("id"), "id");
            String label = id == null || id.isBlank() ? "clause " + index : "clause '" + id + "'";
            requireKeys(entries, REQUIRED_CLAUSE_KEYS, YamlTree.start(m), label);
            Double threshold = number(entries.get("threshold"), "threshold must be a number from 0 to 1");
            return new Clause(id, text(entries.get("title"), "title"), text(entries.get("description"), "description"),
                    examples(entries.get("violating")), examples(entries.get("safe")),
                    text(entries.get("severity"), "severity"), threshold, YamlTree.start(m), positions(entries),
                    aliases(entries.get("aliases")));
        }

        /**
         * A number value (YAML int or float); null when the key is absent or its value is not a number, the latter
         * reported as {@code what}, then what was found, at the value's line:col. The range is lint's to check.
         */
        private Double number(NodeTuple entry, String what) {
            if (entry == null) {
                return null;
            }
            Node v = entry.getValueNode();
            Double value = v instanceof ScalarNode s && (Tag.FLOAT.equals(s.getTag()) || Tag.INT.equals(s.getTag()))
                    ? parseDouble(s.getValue()) : null;
            if (value == null) {
                error(LintRule.WRONG_TYPE, v, what + ", found " + kind(v));
            }
            return value;
        }

        /** {@code aliases:} as a list of texts; a single text is read as a list of one. */
        private List<String> aliases(NodeTuple entry) {
            if (entry == null || isNull(entry.getValueNode())) {
                return List.of();
            }
            Node value = entry.getValueNode();
            if (value instanceof ScalarNode s) {
                return List.of(s.getValue());
            }
            if (!(value instanceof SequenceNode seq)) {
                error(LintRule.WRONG_TYPE, value, "'aliases' must be a list of names (one '- ...' line each), found "
                        + kind(value));
                return List.of();
            }
            List<String> aliases = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    aliases.add(isNull(s) ? "" : s.getValue());
                } else {
                    error(LintRule.WRONG_TYPE, item, "each alias must be a text, found " + kind(item));
                }
            }
            return aliases;
        }

        private List<Example> examples(NodeTuple entry) {
            if (entry == null || isNull(entry.getValueNode())) {
                return List.of();
            }
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            Node value = entry.getValueNode();
            if (!(value instanceof SequenceNode seq)) {
                error(LintRule.WRONG_TYPE, value, "'" + key + "' must be a list of example texts (one '- ...' line each), found "
                        + kind(value));
                return List.of();
            }
            List<Example> examples = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    examples.add(new Example(isNull(s) ? "" : s.getValue(), YamlTree.start(s)));
                } else {
                    error(LintRule.WRONG_TYPE, item, "each example in '" + key + "' must be a text, found " + kind(item));
                }
            }
            return examples;
        }

        /** The entries of a mapping by key, reporting odd keys, repeated keys and unknown keys. */
        private Map<String, NodeTuple> entries(MappingNode mapping, List<String> known, String where) {
            Map<String, NodeTuple> entries = new LinkedHashMap<>();
            for (NodeTuple t : mapping.getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode k) || isNull(k)) {
                    error(LintRule.WRONG_TYPE, keyNode, "keys must be plain words, found " + kind(keyNode));
                    continue;
                }
                String key = k.getValue();
                NodeTuple first = entries.get(key);
                if (first != null) {
                    error(LintRule.DUPLICATE_KEY, keyNode, "duplicate key '" + key + "' (first given at "
                            + YamlTree.start(first.getKeyNode()) + "); only the first is used");
                    continue;
                }
                if (!known.contains(key)) {
                    String hint = DidYouMean.hint(key, known);
                    diagnostics.add(LintRule.UNKNOWN_KEY.at(file, YamlTree.start(keyNode), "unknown " + where + " key '" + key
                            + "'" + (hint.isEmpty() ? "; known keys: " + String.join(", ", known) : hint)));
                    continue;
                }
                entries.put(key, t);
            }
            return entries;
        }

        private static Map<String, SourcePos> positions(Map<String, NodeTuple> entries) {
            Map<String, SourcePos> positions = new HashMap<>();
            entries.forEach((key, t) -> positions.put(key, YamlTree.start(t.getValueNode())));
            return positions;
        }

        private void requireKeys(Map<String, NodeTuple> entries, List<String> required, SourcePos at, String what) {
            for (String key : required) {
                if (!entries.containsKey(key)) {
                    diagnostics.add(LintRule.MISSING_FIELD.at(file, at, what + " is missing the required key '" + key + "'"));
                }
            }
        }

        /** A text value; null (key absent or not text, the latter reported) or "" for an empty value. */
        private String text(NodeTuple entry, String key) {
            if (entry == null) {
                return null;
            }
            Node v = entry.getValueNode();
            if (v instanceof ScalarNode s) {
                return isNull(s) ? "" : s.getValue();
            }
            error(LintRule.WRONG_TYPE, v, "'" + key + "' must be a text, found " + kind(v));
            return null;
        }

        private void error(LintRule rule, Node at, String message) {
            diagnostics.add(rule.at(file, YamlTree.start(at), message));
        }
    }

    private static boolean isNull(Node node) {
        return YamlTree.isNull(node);
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.valueOf(text.replace("_", "").replaceFirst("^\\+", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double parseDouble(String text) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        switch (t) {
            case ".inf", "+.inf":
                return Double.POSITIVE_INFINITY;
            case "-.inf":
                return Double.NEGATIVE_INFINITY;
            case ".nan":
                return Double.NaN;
            default:
                try {
                    return Double.valueOf(t);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }
}
