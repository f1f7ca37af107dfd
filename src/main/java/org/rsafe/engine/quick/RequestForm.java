package org.rsafe.engine.quick;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a prompt is worded as a request: a short text (at most {@value #MAX_SENTENCES} sentences) that asks a
 * question or tells the assistant to do something ("How do I…", "Where can I…", "Write…", "…?"). The built-in intent
 * contrast ({@link PolicyAnchors#intent}) is fitted on requests only, so it reads only requests; a statement, a
 * comment or a long text is out of its reach and keeps its score as it is. General English question and command
 * forms, not phrases of any data set. Stateless and thread-safe.
 */
final class RequestForm {
    /** Texts of more sentences than this are not read as one request. */
    static final int MAX_SENTENCES = 2;
    private static final Pattern OPENS = Pattern.compile("^(?:how|what|what's|whats|where|where's|when|which|who|whom"
            + "|why|can|could|would|will|should|shall|may|is|are|do|does|did|give|tell|write|help|explain|show|list"
            + "|make|create|teach|find|suggest|recommend|describe|provide|generate|draft|compose|plan|i need|i want"
            + "|please)\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private RequestForm() { }

    /** Whether {@code text}, cut at {@code sentences}, is worded as a request. */
    static boolean isRequest(String text, List<Span> sentences) {
        if (text == null || text.isBlank() || sentences.size() > MAX_SENTENCES) {
            return false;
        }
        String t = text.strip().replace('\u2019', '\'');
        return t.endsWith("?") || OPENS.matcher(t).find();
    }
}
