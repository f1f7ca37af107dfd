package org.rsafe.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;

/**
 * Renders a policy and a conversation into the exact guard prompt text (before chat wrapping).
 *
 * <p>Each template is a resource file holding RSafe's frame. Rendering keeps the frame and replaces the
 * lines strictly between the {@code <BEGIN UNSAFE CONTENT CATEGORIES>} line and the
 * {@code <END UNSAFE CONTENT CATEGORIES>} line with the policy's categories, then fills the placeholders
 * {@code {prompt}} and {@code {response}} with the {@link String#strip() stripped} texts. Placeholders are
 * filled in a single pass over the frame only, so a prompt that itself contains {@code "{response}"}, or a
 * clause title containing {@code "{prompt}"}, stays literal.
 *
 * <p>The prompt-level template is used when there is no response, the response-level one when there is.
 *
 * <p><b>Paper category lines</b>: {@code ID + padding + " - " + title}, where each ID is padded on the
 * right with spaces to the length of the longest ID in the policy. For RSafe's 18 default categories this
 * yields {@code "U1  - "} … {@code "U9  - "} and {@code "U10 - "} … {@code "U18 - "}, so the rendered text is
 * byte-identical to the published template; when all IDs have the same length it is plain
 * {@code "ID - Title"}.
 *
 * <p><b>Detailed</b> uses the same frame and the same category heading lines, each followed by indented
 * lines: the clause description, up to {@value #MAX_EXAMPLES} violating examples ("Violates:") and up to
 * {@value #MAX_EXAMPLES} near misses ("Allowed (near misses):"). The policy's instructions, when present,
 * form an "Instructions:" section before the conversation. Its closing lines (think tags, box) are the
 * paper template's, word for word.
 */
public final class PromptRenderer {

    /** How many examples of each kind a detailed category lists; more would crowd out the conversation. */
    public static final int MAX_EXAMPLES = 3;

    static final String BEGIN_MARKER = "<BEGIN UNSAFE CONTENT CATEGORIES>";
    static final String END_MARKER = "<END UNSAFE CONTENT CATEGORIES>";
    private static final String INDENT = "    ";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(prompt|response|instructions)\\}");
    private static final String INSTRUCTIONS_LINE = "{instructions}\n";
    private static final String BOX_LINE_END = "\\boxed{}\n";
    private static final String TRAINING_BOX_LINE_END = "\\boxed{}.\n";

    private static final Frame PAPER_PROMPT = Frame.load("paper-prompt-level.txt");
    private static final Frame PAPER_RESPONSE = Frame.load("paper-response-level.txt");
    private static final Frame DETAILED_PROMPT = Frame.load("detailed-prompt-level.txt");
    private static final Frame DETAILED_RESPONSE = Frame.load("detailed-response-level.txt");

    private PromptRenderer() { }

    /**
     * The guard prompt for one conversation.
     *
     * @param response the response to judge, or null to judge the prompt (prompt-level template)
     */
    public static String render(Policy policy, TemplateKind kind, String prompt, String response) {
        return render(policy, kind, prompt, response, Form.EVALUATION);
    }

    /**
     * Which of RSafe's two renderings: its evaluation script's (the texts stripped, the prompt-level template's last
     * line ending in {@code \boxed{}}), used for judging, or its training-data script's (the texts as given, and that
     * line ending in {@code \boxed{}.}), which is what the published checkpoint was trained on. The response-level
     * template ends in {@code \boxed{}.} in both.
     */
    public enum Form { EVALUATION, TRAINING }

    /** The guard prompt in the chosen {@link Form}. */
    public static String render(Policy policy, TemplateKind kind, String prompt, String response, Form form) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(form, "form");
        Frame frame = frame(kind, response != null);
        String head = frame.head;
        String tail = frame.tail;
        if (!policy.hasInstructions()) {
            // The placeholder sits on its own line; without instructions the whole line goes.
            tail = tail.replace(INSTRUCTIONS_LINE, "");
        }
        boolean training = form == Form.TRAINING;
        if (training && tail.endsWith(BOX_LINE_END)) {
            tail = tail.substring(0, tail.length() - BOX_LINE_END.length()) + TRAINING_BOX_LINE_END;
        }
        Map<String, String> values = Map.of(
                "prompt", training ? prompt : prompt.strip(),
                "response", response == null ? "" : training ? response : response.strip(),
                "instructions", "Instructions:\n" + policy.instructions().strip());
        return fill(head, values) + categoryBlock(policy, kind) + fill(tail, values);
    }

    /** The category lines that replace the template's own, each ending with a newline. */
    public static String categoryBlock(Policy policy, TemplateKind kind) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(kind, "kind");
        int width = idWidth(policy);
        StringBuilder sb = new StringBuilder();
        for (Clause clause : policy.clauses()) {
            sb.append(categoryLine(clause, width)).append('\n');
            if (kind == TemplateKind.DETAILED) {
                appendDetails(sb, clause);
            }
        }
        return sb.toString();
    }

    /** The template text as shipped, with its placeholders; the UI shows it and tests pin its bytes. */
    public static String template(TemplateKind kind, boolean responseLevel) {
        return frame(kind, responseLevel).text;
    }

    private static Frame frame(TemplateKind kind, boolean responseLevel) {
        Objects.requireNonNull(kind, "kind");
        return switch (kind) {
            case PAPER -> responseLevel ? PAPER_RESPONSE : PAPER_PROMPT;
            case DETAILED -> responseLevel ? DETAILED_RESPONSE : DETAILED_PROMPT;
        };
    }

    private static int idWidth(Policy policy) {
        int width = 0;
        for (Clause clause : policy.clauses()) {
            width = Math.max(width, clause.id().codePointCount(0, clause.id().length()));
        }
        return width;
    }

    private static String categoryLine(Clause clause, int idWidth) {
        StringBuilder sb = new StringBuilder(clause.id());
        int pad = idWidth - clause.id().codePointCount(0, clause.id().length());
        sb.append(" ".repeat(Math.max(0, pad)));
        return sb.append(" - ").append(oneLine(clause.title())).toString();
    }

    private static void appendDetails(StringBuilder sb, Clause clause) {
        String description = oneLine(clause.description());
        if (!description.isEmpty()) {
            sb.append(INDENT).append(description).append('\n');
        }
        appendExamples(sb, "Violates:", clause.violating());
        appendExamples(sb, "Allowed (near misses):", clause.safe());
    }

    private static void appendExamples(StringBuilder sb, String heading, List<Example> examples) {
        List<String> texts = examples.stream().map(e -> oneLine(e.text())).filter(t -> !t.isEmpty())
                .limit(MAX_EXAMPLES).toList();
        if (texts.isEmpty()) {
            return;
        }
        sb.append(INDENT).append(heading).append('\n');
        for (String text : texts) {
            sb.append(INDENT).append("- ").append(text).append('\n');
        }
    }

    /** Policy text may span lines in YAML; inside the category block every entry must stay on its lines. */
    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String fill(String frameText, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(frameText);
        StringBuilder sb = new StringBuilder(frameText.length() + 256);
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A template split around its category block: head ends after the BEGIN line, tail starts at END. */
    private record Frame(String text, String head, String tail) {
        static Frame load(String resource) {
            String text;
            try (InputStream in = PromptRenderer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("template resource missing: " + resource);
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read template " + resource, e);
            }
            int begin = lineStartOf(text, BEGIN_MARKER, 0, resource);
            int headEnd = text.indexOf('\n', begin) + 1;
            int tailStart = lineStartOf(text, END_MARKER, headEnd, resource);
            return new Frame(text, text.substring(0, headEnd), text.substring(tailStart));
        }

        private static int lineStartOf(String text, String marker, int from, String resource) {
            int at = from;
            while (at < text.length()) {
                int eol = text.indexOf('\n', at);
                int lineEnd = eol < 0 ? text.length() : eol;
                if (text.substring(at, lineEnd).strip().equals(marker) && eol >= 0) {
                    return at;
                }
                at = lineEnd + 1;
            }
            throw new IllegalStateException("template " + resource + " has no line " + marker);
        }
    }
}
