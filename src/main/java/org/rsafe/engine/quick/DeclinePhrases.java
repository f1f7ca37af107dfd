package org.rsafe.engine.quick;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a plain refusal at the start of an assistant response: "I'm sorry", "I can't help with", "I won't
 * write", "As an AI", "against my guidelines", and the like, within its first {@value #WINDOW} characters. An
 * embedding reads a refusal and a harmful answer on the same subject as alike (they share the topic); the wording
 * of a refusal is what tells them apart, so the quick engine looks for it directly. A verb must follow "I can't"
 * or "I won't" ("I can't help", "I won't write"), so that "I can't believe how easy it was" does not count.
 * Stateless and thread-safe.
 */
public final class DeclinePhrases {
    /** Characters from the start of the response that are searched: a refusal comes first. */
    static final int WINDOW = 300;

    private static final String ACTS = "(?:help|assist|provide|do|comply|fulfil|fulfill|support|create|write|give|"
            + "share|generate|answer|engage|participate|make|offer|recommend|condone|encourage|continue|produce|"
            + "discuss|facilitate|that|this|with)";
    private static final Pattern DECLINE = Pattern.compile(String.join("|",
            "\\b(?:i'?m|i am) sorry\\b",
            "\\bsorry, but\\b",
            "\\bi apologi[sz]e, but\\b",
            "\\bas an ai\\b",
            "\\bas a language model\\b",
            "\\bagainst my (?:guidelines|programming|polic(?:y|ies)|ethic)",
            "\\bi must (?:decline|refuse)\\b",
            "\\bi (?:can'?t|cannot|can not|won'?t|will not|refuse to)(?: \\w+){0,2}? " + ACTS + "\\b",
            "\\bi(?:'m| am) (?:unable|not able|not going) to(?: \\w+){0,2}? " + ACTS + "\\b",
            "\\bi (?:do not|don'?t) feel comfortable\\b",
            "\\bi(?:'m| am) not comfortable\\b"),
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private DeclinePhrases() { }

    /** The refusal phrase and where it stands in {@code response}, when its opening declines. */
    public record Found(String phrase, Span span) { }

    public static Optional<Found> find(String response) {
        if (response == null || response.isEmpty()) {
            return Optional.empty();
        }
        // Typographic apostrophes are common in model output; match them like ASCII ones.
        String head = response.substring(0, Math.min(WINDOW, response.length())).replace('\u2019', '\'');
        Matcher m = DECLINE.matcher(head);
        return m.find() ? Optional.of(new Found(response.substring(m.start(), m.end()), new Span(m.start(), m.end())))
                : Optional.empty();
    }
}
