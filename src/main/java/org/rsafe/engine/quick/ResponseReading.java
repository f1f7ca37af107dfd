package org.rsafe.engine.quick;

import java.util.List;

/**
 * How an assistant response reads, sentence by sentence, before any similarity is computed: does it decline (or
 * warn the user off) what was asked, and if it does, does it then turn round and do it anyway? The quick engine
 * judges a response by what it does ({@link QuickEngine}):
 * <ul>
 *   <li>a <em>refusal</em> (refusal or warning wording in the opening, or a flat "No.", or a stance that leans toward
 *       declining ({@link ResponseStance}), and no turn to comply after it) is safe unless one of its own sentences
 *       reads almost exactly like a violating example: every margin is lowered by
 *       {@link ClauseScorer#DECLINE_PENALTY}, and the prompt's score is never carried over;</li>
 *   <li>a refusal or warning <em>followed by compliance</em> ("…is illegal. However, here is a general outline…") is
 *       compliance: the opening lowers nothing;</li>
 *   <li>compliance (no refusal, or a refusal that turns) takes the prompt's score for every clause the prompt
 *       violates on its own, but only when the response engages with the prompt (see
 *       {@link QuickEngine#ON_TOPIC}), and only as REVIEW when its stance is unclear: the prompt's topic alone
 *       never makes a response unsafe.</li>
 * </ul>
 *
 * @param declines refusal wording in the opening, or the flat "No" it starts with; null when there is none
 * @param warns    warning wording in the opening ("that is illegal", "you should not"); null when there is none
 * @param turns    the phrase with which the response turns to comply after its refusal or warning; null when none
 * @param stance   what its sentences do ({@link ResponseStance}); null until the response is embedded
 */
public record ResponseReading(ResponseOpenings.Found declines, ResponseOpenings.Found warns,
                              ResponseOpenings.Found turns, ResponseStance.Reading stance) {

    /** The reading of the wording alone, before the response is embedded. */
    public ResponseReading(ResponseOpenings.Found declines, ResponseOpenings.Found warns, ResponseOpenings.Found turns) {
        this(declines, warns, turns, null);
    }

    /** Declines (by wording or by stance) and never turns to comply. */
    public boolean refusal() {
        return declinesAtAll() && turns == null;
    }

    /** Declines (by wording or by stance), then turns to do what was asked. */
    public boolean turnsToComply() {
        return declinesAtAll() && turns != null;
    }

    /** Declines by stance only: no refusal or warning wording in the opening, but its sentences lean to declining. */
    public boolean declinesByStance() {
        return declines == null && warns == null && stance != null && stance.declines();
    }

    private boolean declinesAtAll() {
        return declines != null || warns != null || stance != null && stance.declines();
    }

    /**
     * This reading with the response's {@code stance}. A response that declines by stance but has no refusal wording
     * is still compliance when it agrees ("Sure, …") or turns to comply anywhere ("here is a step-by-step guide").
     */
    public ResponseReading withStance(ResponseStance.Reading stance, String response) {
        ResponseOpenings.Found turn = turns;
        if (declines == null && warns == null && stance.declines()) {
            turn = ResponseOpenings.agrees(response).or(() -> ResponseOpenings.turnsToComply(response, 0))
                    .orElse(null);
        }
        return new ResponseReading(declines, warns, turn, stance);
    }

    /** Reads {@code response}, cut into {@code sentences} (as {@link SentenceSplitter} cuts it). */
    public static ResponseReading read(String response, List<Span> sentences) {
        ResponseOpenings.Found declines = ResponseOpenings.declines(response)
                .or(() -> ResponseOpenings.flatNo(response)).orElse(null);
        ResponseOpenings.Found warns = declines == null ? ResponseOpenings.discourages(response).orElse(null) : null;
        ResponseOpenings.Found first = declines != null ? declines : warns;
        if (first == null) {
            return new ResponseReading(null, null, null);
        }
        // The turn is looked for after the sentence that holds the refusal, so that the refusal's own "but" ("I'm
        // sorry, but I can't…") is not taken for one.
        int from = first.span().end();
        for (Span s : sentences) {
            if (s.start() <= first.span().start() && first.span().start() < s.end()) {
                from = s.end();
                break;
            }
        }
        ResponseOpenings.Found turns = ResponseOpenings.turnsToComply(response, from).orElse(null);
        return new ResponseReading(declines, warns, turns);
    }
}
