package org.rsafe.policy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Edits single values in a policy's source text and leaves every other byte alone, so comments, key
 * order, quoting and blank lines survive. Each edit returns the new full text; {@link #save} writes it.
 */
public final class PolicyEditor {

    /** Top-level keys whose value is a single text or number and can be set with {@link #setScalar}. */
    static final List<String> SCALAR_KEYS =
            List.of("policy", "id", "name", "version", "description", "applies_to", "instructions");

    private static final int BLOCK_INDENT = 2;

    private PolicyEditor() { }

    /**
     * Sets a clause's threshold, rounded to 3 decimals: the existing value is replaced where it stands;
     * otherwise a {@code threshold:} entry is added after the clause's last entry, indented like its keys.
     */
    public static String setClauseThreshold(Policy p, String clauseId, double value) {
        Objects.requireNonNull(clauseId, "clauseId");
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new UserException("threshold must be from 0 to 1, got " + value);
        }
        Edit edit = Edit.of(p);
        MappingNode clause = edit.clause(clauseId);
        return edit.set(clause, "threshold", formatThreshold(value), false);
    }

    /**
     * Sets the policy's top-level {@code review_band}, rounded to 3 decimals: the existing value is replaced where it
     * stands; otherwise a {@code review_band:} entry is added just before {@code clauses}.
     */
    public static String setReviewBand(Policy p, double value) {
        if (!(value >= 0.0 && value <= Policy.MAX_REVIEW_BAND)) {
            throw new UserException("review_band must be from 0 to " + Policy.MAX_REVIEW_BAND + ", got " + value);
        }
        Edit edit = Edit.of(p);
        return edit.set(edit.root, "review_band", formatThreshold(value), false);
    }

    /**
     * Sets a top-level value (policy, id, name, version, description, applies_to or instructions). Text
     * is written plain when YAML reads it back unchanged, else double-quoted, or as a {@code |} block
     * when it spans lines. A missing key is added before {@code clauses}.
     */
    public static String setScalar(Policy p, String topLevelKey, String value) {
        Objects.requireNonNull(value, "value");
        if (!SCALAR_KEYS.contains(topLevelKey)) {
            throw new IllegalArgumentException("not a top-level text key: " + topLevelKey);
        }
        Edit edit = Edit.of(p);
        return edit.set(edit.root, topLevelKey, value, true);
    }

    /**
     * Text inserted into a policy's source: the new full text is {@code old[0, offset) + inserted + old[offset, end)}.
     * A text editor can apply it as one undoable change; {@code line} is the 1-based line of the new example in the
     * new text.
     */
    public record Insertion(String text, int offset, String inserted, int line) { }

    /**
     * Adds {@code example} to the {@code violating} or {@code safe} list of clause {@code clauseId}: as a new item
     * after the list's last item, written like it (same indent and dash; double-quoted when that item is quoted or
     * when plain YAML would not read the text back unchanged), inside a flow list {@code [..]} as a further element,
     * or, when the clause has no such list yet, as a new list after the clause's last entry. Every other byte is
     * left alone. A blank example, an unknown clause or a list that is not a plain list (an alias) is a
     * {@link UserException}.
     */
    public static Insertion addExample(Policy p, String clauseId, boolean violating, String example) {
        Objects.requireNonNull(clauseId, "clauseId");
        if (example == null || example.isBlank()) {
            throw new UserException("an example needs some text");
        }
        String value = example.strip().replace("\r\n", "\n");
        Edit edit = Edit.of(p);
        return edit.addItem(edit.clause(clauseId), violating ? "violating" : "safe", value);
    }

    /** Writes policy text atomically (a reader never sees half a file). */
    public static void save(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A threshold as written to files: 3 decimals, so 0.5 reads "0.500" and stays comparable by eye. */
    static String formatThreshold(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /** One edit against a policy's source text and its node tree. */
    private static final class Edit {
        private final YamlTree tree;
        private final SourceText src;
        private final String text;
        private final MappingNode root;

        private Edit(YamlTree tree, MappingNode root) {
            this.tree = tree;
            this.src = tree.source();
            this.text = src.text();
            this.root = root;
        }

        static Edit of(Policy p) {
            Objects.requireNonNull(p, "policy");
            if (p.source().isEmpty()) {
                throw new IllegalArgumentException("policy " + p.id() + " was not loaded from text; nothing to edit");
            }
            YamlTree tree = YamlTree.of(p.source());
            if (tree == null || !(tree.root() instanceof MappingNode root)) {
                throw new UserException("the policy file does not parse; fix it before editing");
            }
            return new Edit(tree, root);
        }

        MappingNode clause(String clauseId) {
            NodeTuple clauses = YamlTree.entry(root, "clauses");
            if (clauses != null && clauses.getValueNode() instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    if (item instanceof MappingNode m) {
                        NodeTuple id = YamlTree.entry(m, "id");
                        if (id != null && id.getValueNode() instanceof ScalarNode s && s.getValue().equals(clauseId)) {
                            return m;
                        }
                    }
                }
            }
            throw new UserException("the policy has no clause with id '" + clauseId + "'");
        }

        /** Replaces the key's value, or adds the key; {@code asText} picks quoting for text values. */
        String set(MappingNode mapping, String key, String value, boolean asText) {
            NodeTuple entry = YamlTree.entry(mapping, key);
            int keyColumn = YamlTree.start(mapping.getValue().isEmpty() ? mapping
                    : mapping.getValue().get(0).getKeyNode()).column();
            int blockIndent = keyColumn - 1 + BLOCK_INDENT;
            if (entry != null) {
                return replace(entry, value, asText, blockIndent);
            }
            return insert(mapping, key, value, asText, blockIndent);
        }

        private String replace(NodeTuple entry, String value, boolean asText, int blockIndent) {
            Node old = entry.getValueNode();
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            if (tree.isAliasOf(entry) || !(old instanceof ScalarNode)) {
                throw new UserException("'" + key + "' at " + YamlTree.start(entry.getKeyNode())
                        + " is not a plain value (an alias, list or mapping); edit it by hand");
            }
            boolean inFlow = enclosedByFlow(root, tree.startOffset(entry.getKeyNode()));
            int start = tree.startOffset(old);
            int end = tree.contentEnd(old);
            String lineBreak = src.lineBreak();
            // An empty value ("key:") starts right after the colon.
            String prefix = start > 0 && !Character.isWhitespace(text.charAt(start - 1)) ? " " : "";
            // A block scalar's text takes whole lines, its last line break included.
            boolean wholeLines = YamlTree.isBlockScalar(old) && end > start && SourceText.isBreak(text.charAt(end - 1));
            if (asText && isMultiLine(value) && !inFlow) {
                if (wholeLines) {
                    return splice(start, end, prefix + block(value, blockIndent, headerComment(start), lineBreak));
                }
                int line = src.lineOf(end);
                String rest = text.substring(end, src.lineContentEnd(line)).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    // Something other than a comment follows on the line; a block cannot start there.
                    return splice(start, end, prefix + doubleQuoted(value));
                }
                int replaceEnd = src.nextLineStart(line);
                String block = block(value, blockIndent, rest, lineBreak);
                if (replaceEnd == text.length() && !endsWithBreak(text)) {
                    block = block.substring(0, block.length() - lineBreak.length());
                }
                return splice(start, replaceEnd, prefix + block);
            }
            String inline = asText ? inline(value, inFlow) : value;
            return splice(start, end, prefix + inline + (wholeLines ? lineBreak : ""));
        }

        /** The comment on a block scalar's header line ("| # note"), kept when the block is rewritten. */
        private String headerComment(int blockStart) {
            String header = text.substring(blockStart, src.lineContentEnd(src.lineOf(blockStart)));
            int hash = header.indexOf('#');
            return hash < 0 ? "" : header.substring(hash).strip();
        }

        private String insert(MappingNode mapping, String key, String value, boolean asText, int blockIndent) {
            List<NodeTuple> entries = mapping.getValue();
            if (entries.isEmpty()) {
                throw new UserException("cannot add '" + key + "' to an empty mapping at " + YamlTree.start(mapping));
            }
            NodeTuple after = entries.get(entries.size() - 1);
            if (mapping == root) {
                // Metadata belongs above the clause list: add after the entry just before 'clauses'.
                for (int i = 0; i < entries.size(); i++) {
                    Node k = entries.get(i).getKeyNode();
                    if (k instanceof ScalarNode s && s.getValue().equals("clauses") && i > 0) {
                        after = entries.get(i - 1);
                        break;
                    }
                }
            }
            if (tree.isAliasOf(after)) {
                throw new UserException("the entry before the new '" + key + "' (at " + YamlTree.start(after.getKeyNode())
                        + ") is an alias; add '" + key + "' by hand");
            }
            int end = tree.contentEnd(after.getValueNode());
            if (YamlTree.isFlowCollection(mapping)) {
                String inline = asText ? inline(value, true) : value;
                return splice(end, end, ", " + key + ": " + inline);
            }
            String lineBreak = src.lineBreak();
            String indent = " ".repeat(YamlTree.start(after.getKeyNode()).column() - 1);
            String entry = asText && isMultiLine(value)
                    ? indent + key + ": " + block(value, blockIndent, "", lineBreak)
                    : indent + key + ": " + (asText ? inline(value, false) : value) + lineBreak;
            if (src.isLineStart(end) && end > 0 && SourceText.isBreak(text.charAt(end - 1))) {
                return splice(end, end, entry);
            }
            int at = src.nextLineStart(src.lineOf(end));
            if (at == text.length() && !endsWithBreak(text)) {
                return splice(at, at, lineBreak + entry.substring(0, entry.length() - lineBreak.length()));
            }
            return splice(at, at, entry);
        }

        Insertion addItem(MappingNode clause, String key, String value) {
            NodeTuple entry = YamlTree.entry(clause, key);
            String lineBreak = src.lineBreak();
            if (entry == null || YamlTree.isNull(entry.getValueNode())) {
                if (entry != null) {
                    // "safe:" with nothing after it: the list starts on the next line.
                    int end = tree.contentEnd(entry.getKeyNode());
                    int colon = text.indexOf(':', end);
                    int at = colon < 0 ? end : colon + 1;
                    int column = YamlTree.start(entry.getKeyNode()).column() - 1;
                    String item = lineBreak + " ".repeat(column + BLOCK_INDENT) + "- " + quoted(value, null);
                    return insertion(at, item, src.lineOf(at) + 1);
                }
                String indent = " ".repeat(YamlTree.start(clause.getValue().get(0).getKeyNode()).column() - 1);
                String lines = indent + key + ":" + lineBreak + indent + " ".repeat(BLOCK_INDENT) + "- "
                        + quoted(value, null) + lineBreak;
                NodeTuple last = clause.getValue().get(clause.getValue().size() - 1);
                int end = tree.contentEnd(last.getValueNode());
                int at = src.isLineStart(end) && end > 0 && SourceText.isBreak(text.charAt(end - 1)) ? end
                        : src.nextLineStart(src.lineOf(end));
                if (at == text.length() && !endsWithBreak(text)) {
                    return insertion(at, lineBreak + lines.substring(0, lines.length() - lineBreak.length()),
                            src.lineOf(at) + 2);
                }
                return insertion(at, lines, src.lineOf(at) + 1);
            }
            if (tree.isAliasOf(entry) || !(entry.getValueNode() instanceof SequenceNode seq)) {
                throw new UserException("'" + key + "' at " + YamlTree.start(entry.getKeyNode())
                        + " is not a plain list; add the example by hand");
            }
            List<Node> items = seq.getValue();
            if (YamlTree.isFlowCollection(seq)) {
                int close = tree.endOffset(seq) - 1;   // the ']'
                String sep = items.isEmpty() ? "" : ", ";
                return insertion(close, sep + inline(value, true), src.lineOf(close));
            }
            Node last = items.get(items.size() - 1);
            int itemStart = tree.startOffset(last);
            int lineStart = src.lineStart(src.lineOf(itemStart));
            String prefix = text.substring(lineStart, itemStart);
            if (!prefix.matches("\\s*-\\s+")) {
                throw new UserException("the last item of '" + key + "' at " + YamlTree.start(last)
                        + " does not start its own line; add the example by hand");
            }
            int end = tree.contentEnd(last);
            int at = src.nextLineStart(src.lineOf(end));
            String item = prefix + quoted(value, last) + lineBreak;
            if (at == text.length() && !endsWithBreak(text)) {
                return insertion(at, lineBreak + item.substring(0, item.length() - lineBreak.length()),
                        src.lineOf(end) + 1);
            }
            return insertion(at, item, src.lineOf(end) + 1);
        }

        /** The example as written beside {@code like}: double-quoted when that item is, else plain when safe. */
        private String quoted(String value, Node like) {
            boolean likeQuoted = like instanceof ScalarNode s && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.DOUBLE_QUOTED;
            return likeQuoted || isMultiLine(value) ? doubleQuoted(value) : inline(value, false);
        }

        private Insertion insertion(int at, String inserted, int line) {
            return new Insertion(splice(at, at, inserted), at, inserted, line);
        }

        private boolean enclosedByFlow(Node node, int offset) {
            if (YamlTree.isFlowCollection(node)) {
                return tree.startOffset(node) < offset && offset < tree.endOffset(node);
            }
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (enclosedByFlow(t.getValueNode(), offset)) {
                        return true;
                    }
                }
            } else if (node instanceof SequenceNode s) {
                for (Node item : s.getValue()) {
                    if (enclosedByFlow(item, offset)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private String splice(int from, int to, String replacement) {
            return text.substring(0, from) + replacement + text.substring(to);
        }
    }

    private static boolean endsWithBreak(String text) {
        return !text.isEmpty() && SourceText.isBreak(text.charAt(text.length() - 1));
    }

    /**
     * Whether a value is written as a {@code |} block. Values ending in two or more line breaks are
     * quoted instead: a keeping block ({@code |+}) would also swallow the blank lines after it in the file.
     */
    private static boolean isMultiLine(String value) {
        String v = value.replace("\r\n", "\n");
        return v.chars().anyMatch(c -> SourceText.isBreak((char) c)) && !v.endsWith("\n\n");
    }

    /**
     * A literal block ({@code |}) holding the value exactly: the chomping indicator keeps or drops the
     * final line breaks, and an indentation indicator is added when the first line starts with a space.
     */
    static String block(String value, int indent, String comment, String lineBreak) {
        String normalized = value.replace("\r\n", "\n").replace('\r', '\n');
        int trailing = 0;
        while (trailing < normalized.length() && normalized.charAt(normalized.length() - 1 - trailing) == '\n') {
            trailing++;
        }
        String chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+";
        // Callers only pass values with at most one final break (see isMultiLine); "+" keeps the method total.
        String body = normalized.substring(0, normalized.length() - trailing);
        String indicator = body.startsWith(" ") ? Integer.toString(BLOCK_INDENT) : "";
        StringBuilder sb = new StringBuilder("|").append(indicator).append(chomp);
        if (!comment.isEmpty()) {
            sb.append(' ').append(comment);
        }
        sb.append(lineBreak);
        String pad = " ".repeat(indent);
        for (String line : body.split("\n", -1)) {
            sb.append(line.isEmpty() ? "" : pad + line).append(lineBreak);
        }
        for (int i = 1; i < trailing; i++) {
            sb.append(lineBreak);
        }
        return sb.toString();
    }

    /** The value as a single-line scalar: plain when YAML reads it back as the same text, else quoted. */
    static String inline(String value, boolean inFlow) {
        return plainSafe(value, inFlow) ? value : doubleQuoted(value);
    }

    private static boolean plainSafe(String value, boolean inFlow) {
        if (value.isEmpty() || !value.strip().equals(value) || value.contains(" #") || value.contains(": ")
                || value.endsWith(":") || "-?:,[]{}#&*!|>'\"%@`".indexOf(value.charAt(0)) >= 0
                || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || SourceText.isBreak((char) c))
                || (inFlow && value.chars().anyMatch(c -> ",[]{}".indexOf(c) >= 0))) {
            return false;
        }
        YamlTree tree = YamlTree.of("k: " + value + "\n");
        if (tree == null || !(tree.root() instanceof MappingNode m) || m.getValue().size() != 1) {
            return false;
        }
        Node v = m.getValue().get(0).getValueNode();
        return v instanceof ScalarNode s && s.getValue().equals(value) && !Tag.NULL.equals(s.getTag());
    }

    static String doubleQuoted(String value) {
        StringBuilder sb = new StringBuilder("\"");
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (cp < 0x20 || cp == 0x7f || cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }
}
