package org.rsafe.policy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.reader.ReaderException;
import org.rsafe.util.SourcePos;

/**
 * A composed YAML node tree over one source text, with the offset arithmetic the loader, linter and
 * editor share: where a node starts, and where its own text ends (excluding the blank lines and comments
 * that SnakeYAML folds into the end marks of block scalars and block collections).
 */
final class YamlTree {

    /** The outcome of composing: a root node (null for an empty document) or a syntax error. */
    record Composed(Node root, SourcePos errorPos, String error) {
        boolean failed() {
            return error != null;
        }
    }

    private final SourceText source;
    private final Node root;

    private YamlTree(SourceText source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** The tree of a text that is known to parse (it was loaded before); null if it does not. */
    static YamlTree of(String text) {
        Composed composed = compose(text);
        return composed.failed() ? null : new YamlTree(new SourceText(text), composed.root());
    }

    /** Most aliases to lists or mappings in one file. */
    static final int MAX_COLLECTION_ALIASES = 20;

    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        // Policies are small; a tight alias limit stops "billion laughs" files early.
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        return options;
    }

    static Composed compose(String text) {
        LoaderOptions options = options();
        try {
            return new Composed(new Yaml(options).compose(new StringReader(text)), null, null);
        } catch (MarkedYAMLException e) {
            YamlMessages.Plain plain = YamlMessages.of(e, text);
            return new Composed(null, plain.pos(), plain.message());
        } catch (ReaderException e) {
            int offset = new StringBuilder(text).offsetByCodePoints(0,
                    Math.min(e.getPosition(), text.codePointCount(0, text.length())));
            return new Composed(null, new SourceText(text).pos(offset),
                    String.format("character U+%04X is not allowed in YAML text", e.getCodePoint()));
        } catch (YAMLException e) {
            // The composer's own limits (nesting depth, aliases) say no place; the events do.
            Composed placed = placeLimit(text, options);
            return placed != null ? placed : new Composed(null, SourcePos.UNKNOWN, oneLine(e.getMessage()));
        }
    }

    /**
     * Finds where a composer limit is crossed by walking the parser's events, which carry marks: the collection that
     * opens one level too deep, or the alias to a list or mapping past {@link #MAX_COLLECTION_ALIASES}. Null when
     * neither is found (the refusal was for another reason).
     */
    private static Composed placeLimit(String text, LoaderOptions options) {
        int depth = 0;
        int aliases = 0;
        java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
        try {
            for (org.yaml.snakeyaml.events.Event ev : new Yaml(options).parse(new StringReader(text))) {
                if (ev instanceof org.yaml.snakeyaml.events.CollectionStartEvent start) {
                    depth++;
                    if (start.getAnchor() != null) {
                        collectionAnchors.add(start.getAnchor());
                    }
                    if (depth > options.getNestingDepthLimit()) {
                        return new Composed(null, pos(ev.getStartMark()), "values nested more than "
                                + options.getNestingDepthLimit() + " levels deep: a policy needs a few levels");
                    }
                } else if (ev instanceof org.yaml.snakeyaml.events.CollectionEndEvent) {
                    depth--;
                } else if (ev instanceof org.yaml.snakeyaml.events.AliasEvent alias
                        && collectionAnchors.contains(alias.getAnchor()) && ++aliases > MAX_COLLECTION_ALIASES) {
                    return new Composed(null, pos(ev.getStartMark()), "more than " + MAX_COLLECTION_ALIASES
                            + " aliases to lists or mappings: refused, as such files can expand to billions of values "
                            + "(\"billion laughs\")");
                }
            }
        } catch (YAMLException e) {
            return null;
        }
        return null;
    }

    private static SourcePos markedPos(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return mark == null ? SourcePos.UNKNOWN : pos(mark);
    }

    /** One readable sentence from SnakeYAML's problem and context, with a hint for the usual causes. */
    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "invalid YAML" : oneLine(e.getProblem());
        if (problem.contains("\\t") || problem.contains("TAB")) {
            return "tab character: YAML indentation must use spaces";
        }
        StringBuilder sb = new StringBuilder(problem);
        if (e.getContext() != null) {
            sb.append(" (").append(oneLine(e.getContext()));
            if (e.getContextMark() != null) {
                sb.append(" started at ").append(pos(e.getContextMark()));
            }
            sb.append(')');
        }
        if (problem.startsWith("mapping values are not allowed")) {
            sb.append("; check the indentation, or quote a value that contains ': '");
        } else if (problem.startsWith("expected ',' or ']'") || problem.startsWith("expected ',' or '}'")) {
            sb.append("; quote items in [...] or {...} that contain ':', '?', '#' or ','");
        } else if (problem.startsWith("expected <block end>")) {
            sb.append("; check the indentation of this line");
        }
        return sb.toString();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static SourcePos pos(Mark mark) {
        return new SourcePos(mark.getLine() + 1, mark.getColumn() + 1);
    }

    static SourcePos start(Node node) {
        return pos(node.getStartMark());
    }

    SourceText source() {
        return source;
    }

    Node root() {
        return root;
    }

    int startOffset(Node node) {
        return source.offset(start(node));
    }

    int endOffset(Node node) {
        return source.offset(pos(node.getEndMark()));
    }

    static boolean isBlockScalar(Node node) {
        return node instanceof ScalarNode s && (s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL
                || s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.FOLDED);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && org.yaml.snakeyaml.nodes.Tag.NULL.equals(s.getTag());
    }

    static boolean isFlowCollection(Node node) {
        return node instanceof CollectionNode<?> c && c.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW;
    }

    /**
     * Offset just past a node's own text. Block scalars end after their last non-blank line (with its
     * line break) unless they keep trailing lines ({@code |+}); block collections end where their last
     * item does. SnakeYAML's own end marks run on to the next token, past comments and blank lines that
     * belong to whatever follows.
     */
    int contentEnd(Node node) {
        if (node instanceof MappingNode m && !isFlowCollection(m) && !m.getValue().isEmpty()) {
            return contentEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
        }
        if (node instanceof SequenceNode s && !isFlowCollection(s) && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        int end = endOffset(node);
        if (!isBlockScalar(node)) {
            return end;
        }
        int start = startOffset(node);
        String header = source.text().substring(start, source.lineContentEnd(source.lineOf(start)));
        if (header.split("#", 2)[0].contains("+")) {
            return end;
        }
        int line = source.lineOf(end);
        if (source.lineStart(line) == end) {
            line--;
        }
        // Walk back over blank lines; the header line always counts as content.
        int headerLine = source.lineOf(start);
        while (line > headerLine && source.text().substring(source.lineStart(line), source.lineContentEnd(line)).isBlank()) {
            line--;
        }
        return Math.min(end, Math.max(source.nextLineStart(line), source.lineContentEnd(line)));
    }

    /** Whether a value node is an alias: SnakeYAML hands back the anchored node, which starts before its key. */
    boolean isAliasOf(NodeTuple tuple) {
        return startOffset(tuple.getValueNode()) < endOffset(tuple.getKeyNode());
    }

    /** Every scalar node of the tree by its start position (aliases are visited once). */
    Map<SourcePos, ScalarNode> scalarsByStart() {
        return byStart(ScalarNode.class);
    }

    /** Every mapping node of the tree by its start position. */
    Map<SourcePos, MappingNode> mappingsByStart() {
        return byStart(MappingNode.class);
    }

    private <T extends Node> Map<SourcePos, T> byStart(Class<T> type) {
        Map<SourcePos, T> byStart = new java.util.HashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        List<Node> todo = new ArrayList<>();
        if (root != null) {
            todo.add(root);
        }
        while (!todo.isEmpty()) {
            Node n = todo.remove(todo.size() - 1);
            if (seen.put(n, Boolean.TRUE) != null) {
                continue;
            }
            if (type.isInstance(n)) {
                byStart.putIfAbsent(start(n), type.cast(n));
            }
            if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    todo.add(t.getKeyNode());
                    todo.add(t.getValueNode());
                }
            } else if (n instanceof SequenceNode s) {
                todo.addAll(s.getValue());
            }
        }
        return byStart;
    }

    /** The value of a key in a mapping, by the key's text; the first one when the key repeats. */
    static NodeTuple entry(MappingNode mapping, String key) {
        for (NodeTuple t : mapping.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t;
            }
        }
        return null;
    }
}
