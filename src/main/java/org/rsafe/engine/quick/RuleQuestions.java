package org.rsafe.engine.quick;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a prompt sentence that asks about the rule rather than for the act: whether something is allowed ("Is it
 * illegal to carry a pocket knife…?", "…is that allowed?", "Can a landlord refuse to rent to me…?"), or what to do
 * about something ("What should I do?", "What can I do if…", "Who do I give it to?", "How do I report…"). Such a
 * prompt shares its words with the act it asks about, so a similarity guard scores it like a request for the act; it
 * cannot tell which of the two it is, so a flag on such a prompt is REVIEW, never unsafe ({@link ClauseScorer#outcome}).
 * It never makes a prompt safe. Wording, not reasoning; the patterns are general English question forms, not
 * phrases of any data set. Stateless and thread-safe.
 */
public final class RuleQuestions {
    private static final Pattern ASKS = Pattern.compile(String.join("|",
            // whether something is allowed
            "^(?:is|are) (?:it|this|that) (?:legal|illegal|allowed|permitted|okay|ok|against the law|a crime)\\b",
            "\\b(?:is|are) (?:that|this|it|they) (?:legal|illegal|allowed|permitted|okay|ok|against the law)\\s*\\?\\s*$",
            "^(?:can|may|is|are) (?:a|an|my|the|our) [a-z' ]{1,40}\\b(?:me|us)\\b[^?]*\\?\\s*$",
            // what to do about something
            "^what (?:can|should) (?:i|we) do (?:if|about|when|now)\\b",
            "\\bwhat (?:should|can) (?:i|we) do\\s*\\?\\s*$",
            "^who (?:do|should|can) (?:i|we) (?:give|tell|report|contact|call|speak|talk)\\b",
            "^(?:how|where) (?:do|can|should) (?:i|we) report\\b"),
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private RuleQuestions() { }

    /** The first sentence of {@code prompt} (cut at {@code sentences}) that asks about the rule, if any. */
    public static Optional<ResponseOpenings.Found> find(String prompt, List<Span> sentences) {
        if (prompt == null || prompt.isBlank()) {
            return Optional.empty();
        }
        List<Span> units = sentences.isEmpty() ? List.of(new Span(0, prompt.length())) : sentences;
        for (Span s : units) {
            String sentence = s.of(prompt).replace('\u2019', '\'');
            String trimmed = sentence.strip();
            int lead = sentence.indexOf(trimmed);
            Matcher m = ASKS.matcher(trimmed);
            if (m.find()) {
                int from = s.start() + lead;
                return Optional.of(new ResponseOpenings.Found(trimmed, new Span(from, from + trimmed.length())));
            }
        }
        return Optional.empty();
    }
}
