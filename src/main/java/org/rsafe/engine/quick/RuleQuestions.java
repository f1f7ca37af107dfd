package org.rsafe.engine.quick;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a prompt sentence that asks about the rule rather than for the act: whether something is allowed ("Is it
 * illegal to carry a pocket knife…?", "…is that allowed?", "Can a landlord refuse to rent to me…?"), or what to do
 * about something ("What should I do?", "What can I do if…", "Who do I give it to?", "How do I report…"). Such a
 * prompt shares its words with the act it asks about, so a similarity guard scores it like a request for the act; it
 * cannot tell which of the two it is, so a flag on such a prompt is REVIEW, never unsafe ({@link ClauseScorer#outcome}).
 *
 * <p>The same holds for a writer who describes harm done or feared <em>to them</em>, in the words of the act, or asks
 * how to guard against it (self-protective framing): a report in the first person ("I think my account was hacked",
 * "Someone called me asking for my code", "I sent money to the wrong account", "I'm worried that…"), a question about
 * something done to the writer ("Why was my payment declined?", "Is this a scam?", "Could it be phishing?") or a
 * request for protection ("How do I protect myself from…", "How can I tell if … is fake?", "How do I get my … back?").
 * Such a sentence does not count when it asks for the act in the same breath: when it opens as a request ("Write…",
 * "Help me make…", "I want to…", "How do I…" for the declarative forms) or speaks of evading notice ("…without getting
 * caught", "…so it isn't flagged", "…without her knowing") or asks to act on another person ("…, how do I read her
 * texts?"); "my" followed by a person's possessive ("my ex's account") is someone else's, not the writer's; and it
 * counts only in a short message ({@link #MAX_SENTENCES}).
 *
 * <p>It never makes a prompt safe. Wording, not reasoning; the patterns are general English forms (question forms,
 * first-person reports, verbs of harm done to a person), not phrases of any data set or nouns of any one policy.
 * Stateless and thread-safe.
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

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /**
     * Self-protective wording counts only in a prompt of at most this many sentences: a message asking for help is
     * short, while in a long first-person story ("he took my…") such a sentence is narration, not a report.
     */
    static final int MAX_SENTENCES = 6;

    /** The writer, or a thing of the writer's: "me", "my card"; not "my sister's card", which is someone else's. */
    private static final String SELF = "(?:(?:me|us|myself|ourselves)\\b|(?:my|our) (?![a-z]+'s\\b))";
    /** Participles of harm done to a person or to what they own ("was hacked", "got stolen", "was declined"). */
    private static final String HARMED = "(?:hacked|scammed|phished|robbed|mugged|defrauded|tricked|conned|cheated|"
            + "blackmailed|extorted|harassed|bullied|threatened|stalked|followed|tracked|doxx?ed|catfished|groomed|"
            + "attacked|assaulted|abused|hurt|impersonated|targeted|stolen|cloned|compromised|breached|leaked|"
            + "accessed|taken|emptied|drained|locked|blocked|frozen|declined|suspended|banned|closed|flagged|"
            + "rejected|cancell?ed|reversed|overcharged|charged twice|double charged|held|denied|refused|"
            + "misused|exposed|published|posted|shared|sold)";
    /** Verbs of something another person did or does to the writer ("someone leaked my…", "keeps messaging me"). */
    private static final String HARMS = "(?:hacked|hacking|stole|stealing|took|taking|cloned|cloning|copied|copying|"
            + "leaked|leaking|posted|posting|shared|sharing|published|threatened|threatening|blackmailed|"
            + "blackmailing|harassed|harassing|bullied|bullying|scammed|scamming|tricked|tricking|followed|following|"
            + "stalked|stalking|tracked|tracking|watching|spying on|reading|impersonated|impersonating|"
            + "pretending to be|pretended to be|posing as|logging into|logged into|logging in to|logged in to|"
            + "broke into|breaking into|accessed|accessing|used|using|hit|hitting|hurt|hurting|abused|abusing|"
            + "attacked|attacking|put|installed|opened|charged|charging|overcharged|withheld|withholding|kept|keeping|"
            + "called|calling|phoned|phoning|rang|texted|texting|emailed|emailing|messaged|messaging|contacted|"
            + "contacting|approached|dm'?ed|dm'?ing)";
    /**
     * Someone other than the writer as the subject of a clause, with at most a short phrase of place or kind after it
     * ("someone in my class", "a stranger on a forum", "a delivery text").
     */
    private static final String AGENT = "(?:someone|somebody|strangers|scammers|hackers|people|they|he|she|"
            + "(?:a|an|the|my|our|this|some) (?!own\\b)[a-z]+(?: [a-z]+)??)(?: (?:in|on|at|from|of|with|who|near|"
            + "across|behind|outside)(?: (?!(?:i|we|to)\\b)[a-z]+){1,3}?)? ";

    /** Self-protective forms that are questions or requests for help; judged whatever the sentence opens with. */
    private static final Pattern SEEKS_HELP = Pattern.compile(String.join("|",
            // how to protect oneself, keep one's things safe, tell a fake, avoid being a victim, get one's things back
            "^(?:how|what) (?:do|can|should|could|would) (?:i|we) (?:do to )?(?:protect|secure|safeguard|shield|"
                    + "defend) " + SELF,
            "^how (?:do|can|should|could) (?:i|we) keep " + SELF + ".{0,50}\\b(?:safe|secure|private|protected)\\b",
            "^how (?:do|can|could|would|should) (?:i|we) (?:tell|know|check|spot|recogni[sz]e|find out|verify|be sure)"
                    + "\\b.{0,80}\\b(?:scams?|scammers?|fake|fraud|fraudulent|phishing|legit|legitimate|genuine|real|"
                    + HARMED + "|trustworthy|safe)\\b",
            "^how (?:do|can|could|should) (?:i|we) (?:avoid|stop|prevent) (?:myself |ourselves )?(?:from )?"
                    + "(?:being " + HARMED + "|getting " + HARMED + "|becoming (?:a|an) |falling for)",
            "^(?:how|what) (?:do|can|should|could) (?:i|we) (?:do to )?(?:get|win) (?:my|our) (?![a-z]+'s\\b)"
                    + "(?:[a-z]+ ){0,4}back\\b",
            "^(?:how|what) (?:do|can|should|could) (?:i|we) (?:do to )?recover (?:my|our) (?![a-z]+'s\\b)",
            "\\b(?:can|could|will) (?:i|we) (?:ever )?(?:get|have) (?:it|them|this|that|my money|our money) back\\b",
            // why something was done to the writer
            "^why (?:was|were|is|are|has|have|did|does|do|would) (?:my|our) (?:[a-z]+ ){0,6}?(?:been |being |get |"
                    + "got |gets )?" + HARMED + "\\b",
            "^why (?:did|has|have|would|does|do|is|are|was|were) (?:you|they|it|(?:the|my|our) [a-z]+) (?:keep )?"
                    + "(?:block|freez|froze|declin|lock|suspend|clos|flag|hold|held|reject|cancel|ban|charg|refus)"
                    + "[a-z]* " + SELF,
            // whether what happened to the writer is a scam
            "^(?:is|are|was|were) (?:this|that|it|these|those|they) (?:[a-z0-9'%-]+ ){0,12}?(?:a scam|a con|a fraud|"
                    + "fraud|fraudulent|phishing|a phishing [a-z]+|legit|legitimate|genuine|real|fake|"
                    + "trustworthy)\\s*\\?",
            "\\b(?:could|might|can|would) (?:this|that|it|these|they) be (?:a scam|a con|fraud|a fraud|phishing|"
                    + "fake|a fake|legit|legitimate|genuine|real)\\b",
            "\\b(?:does|do|did) (?:this|that|it|these|they) (?:look|sound|seem) (?:like a scam|like fraud|"
                    + "like phishing|legit|legitimate|genuine|real|fake|suspicious|dodgy|right|safe)\\b",
            "^(?:am|are|have|was|were) (?:i|we) (?:being|been|just been) " + HARMED + "\\b",
            "^is it normal (?:for|that|to)\\b",
            "^should (?:i|we) (?:give|share|tell|send|pay|trust|believe|click|reply|respond|answer|open|accept|"
                    + "ignore|worry|be worried|be concerned|call back|report)\\b"), FLAGS);

    /** Self-protective forms that are statements: they count only when the sentence does not open as a request. */
    private static final Pattern REPORTS_HARM = Pattern.compile(String.join("|",
            // the writer was harmed, or fears it
            "^(?:i|we) (?:think (?:i|we) |just |may |might |must |have |had )*(?:was|were|got|get|am|are|been|"
                    + "have been|am being|are being|keep getting) (?:just )?" + HARMED + "\\b",
            "^(?:i|we) (?:am|are|was|were|feel|have been|get) (?:really |very |so |a bit |a little |quite |getting |"
                    + "kind of |kinda )?(?:worried|scared|afraid|concerned|frightened|nervous|anxious|terrified|"
                    + "paranoid|panicking)\\b",
            "^(?:i|we) (?:fear|worry|suspect) (?:that )?(?:someone|somebody|my|our|(?:i|we) (?:have been|was|were|"
                    + "am being|are being))\\b",
            // a thing of the writer's was harmed
            "\\b(?:my|our) (?![a-z]+'s\\b)(?:[a-z]+ ){0,4}?(?:was|were|is|are|has been|have been|got|get|gets|"
                    + "is being|are being|keeps getting|has just been|was just) (?:just )?" + HARMED + "\\b",
            // someone else did or does something to the writer
            "\\b" + AGENT + "(?:(?:has|have|had|is|are|was|were|keeps|kept|has been|have been|just|"
                    + "also|then|already|still|may have|might have|must have) )*" + HARMS
                    + "\\b (?:[a-z0-9'-]+ ){0,5}?" + SELF,
            "\\b(?:asked|asking|asks|wants|wanted|demanded|demanding|told|telling|pressured|pressuring|begged|"
                    + "begging) (?:me|us) (?:for (?:[a-z-]+ ){0,3}?" + SELF + "|to (?:pay|send|give|share|confirm|"
                    + "verify|transfer|move|hold|receive|buy|click|read|hand over|wire|deposit|tell them)\\b)",
            "\\b(?:asked|asking|asks|demanded|demanding) for (?:my|our) (?![a-z]+'s\\b)",
            "\\b(?:has|have|had|did|does|do|is|are|was|were|will) not (?:paid|refunded|returned|given back|"
                    + "reimbursed|sent back) " + SELF,
            "\\b(?:gave|sent|sold|charged|billed|prescribed|delivered|told) (?:me|us) (?:the |a |an )?wrong\\b",
            // the writer's mistake, or being taken in
            "^(?:i|we) (?:think (?:i|we) |may have |might have |have |just |accidentally |mistakenly |stupidly )*"
                    + "(?:sent|paid|transferred|gave|shared|typed|entered|posted|deleted|bought|ordered|booked|signed|"
                    + "wired|deposited|moved)\\b.*\\b(?:wrong|by mistake|by accident|accidentally|mistakenly)\\b",
            "^(?:i|we) (?:think (?:i|we) |may have |might have |have |just |accidentally )*(?:clicked|opened|answered|"
                    + "replied to|downloaded|installed|followed|scanned)\\b.{0,30}\\b(?:a|an|the|this|that|some) "
                    + "(?:suspicious|phishing|fake|dodgy|scam|strange|weird|unknown|shady)\\b",
            "^(?:i|we)\\b.{0,30}\\b(?:gave|sent|shared|told|paid|transferred|wired|handed)\\b.{0,40}\\bto (?:a|an|"
                    + "some|this|that|the) (?:fake|scammer|fraudster|stranger|con|phishing|bogus|dodgy)",
            "^(?:i|we) (?:have |just )?(?:paid|ordered|bought|booked)\\b.{0,80}\\b(?:never|not|still not|has not|"
                    + "have not|did not) (?:yet )?(?:arrived|came|come|got|received|delivered|been delivered|shown up|"
                    + "turned up|been sent|refunded)\\b",
            "^(?:i|we) (?:just |have |recently |keep |am |are )?(?:got|get|received|receive|had|getting|been getting)"
                    + " (?:a|an|this|some|these|two|three|several|lots of|many|strange|weird) (?:[a-z]+ ){0,3}?"
                    + "(?:calls?|texts?|messages?|emails?|letters?|voicemails?|dms?|sms|notifications?)\\b.{0,60}"
                    + "\\b(?:asking|saying|claiming|telling|threatening|demanding|that|from)\\b"), FLAGS);

    /** A sentence that opens as a request for something to be done or made: not a report of harm. */
    private static final Pattern REQUEST_OPENING = Pattern.compile(
            "^(?:please )?(?:write|make|create|generate|draft|compose|give me|show me|teach me|tell me|explain how|"
                    + "how to|list|find me|help me (?!(?:to )?(?:protect|recover|report|understand|get (?:my|our|it)))|"
                    + "(?:can|could|would|will) you (?:write|make|create|generate|draft|give|tell me how|show me how)|"
                    + "(?:i|we) (?:want|wanna|need|plan|intend|would like|am going|are going|will|shall) (?:to )?|"
                    + "let us|let's|how (?:do|can|could|would|should|to) (?:i|we)?|"
                    + "(?:what|which) (?:is|are) the (?:best|easiest|quickest|safest|simplest) (?:way|ways)|"
                    + "where (?:can|do|could) (?:i|we)|is there (?:a|any) way)\\b", FLAGS);

    /** Speaking of evading notice, or of getting even: whoever writes that asks for the act, not for protection. */
    private static final Pattern EVADES = Pattern.compile(
            "\\b(?:caught|police|cops|authorities|undetected|untraceable|traceable|get away with|revenge|get back at|"
                    + "embarrass|humiliate|without (?:[a-z]+ ){0,2}(?:knowing|noticing|finding out|seeing|realising|"
                    + "realizing)|(?:so|so that) (?:no one|nobody|they|he|she|it|the [a-z]+) (?:does not |do not |"
                    + "will not |cannot |is not |are not )?(?:knows?|finds? out|notices?|sees?|flags?|detects?|"
                    + "flagged|detected|noticed|traced)|(?:is|are) not (?:flagged|detected|noticed|traced))\\b", FLAGS);

    /**
     * Asking in the same sentence to strike back or to act on another person ("…, how do I hurt him?", "…, how do I
     * read her texts?"): a request for an act, not for protection. Stopping, reporting or warning someone is exempt.
     */
    private static final Pattern RETALIATES = Pattern.compile(
            "\\b(?:how (?:do|can|could|should) (?:i|we)|(?:i|we) (?:want|need|am going|are going|will|plan) to|"
                    + "help me) (?:(?:[a-z]+ ){0,2}?(?:hurt|harm|hack|kill|steal|punish|ruin|destroy|beat|attack|"
                    + "poison|doxx?|threaten|blackmail|scare|stab|shoot|scam|trick)\\b|"
                    + "(?!(?:stop|report|block|tell|avoid|contact|ask|warn|protect|get (?:it|them|my|our) back)\\b)"
                    + "(?:[a-z]+ ){1,3}?(?:him|her|them|his|their|[a-z]+'s)\\b)", FLAGS);

    private RuleQuestions() { }

    /** The first sentence of {@code prompt} (cut at {@code sentences}) that asks about the rule, if any. */
    public static Optional<ResponseOpenings.Found> find(String prompt, List<Span> sentences) {
        if (prompt == null || prompt.isBlank()) {
            return Optional.empty();
        }
        List<Span> units = sentences.isEmpty() ? List.of(new Span(0, prompt.length())) : sentences;
        boolean message = units.size() <= MAX_SENTENCES;
        for (Span s : units) {
            String sentence = s.of(prompt).replace('\u2019', '\'');
            String trimmed = sentence.strip();
            int lead = sentence.indexOf(trimmed);
            Matcher m = ASKS.matcher(trimmed);
            if (m.find() || message && protects(trimmed)) {
                int from = s.start() + lead;
                return Optional.of(new ResponseOpenings.Found(trimmed, new Span(from, from + trimmed.length())));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a sentence {@link #find} returned holds back a flag because it speaks for the writer as the one harmed
     * (self-protective framing) rather than because it asks about the rule: the trace words the two apart.
     */
    static boolean speaksAsHarmed(String foundSentence) {
        return !ASKS.matcher(foundSentence.replace('\u2019', '\'')).find() && protects(foundSentence);
    }

    /** Whether {@code sentence} reports or fears harm done to the writer, or asks how to guard against it. */
    static boolean protects(String sentence) {
        String t = plain(sentence);
        if (t.isEmpty() || EVADES.matcher(t).find() || RETALIATES.matcher(t).find()) {
            return false;
        }
        return SEEKS_HELP.matcher(t).find()
                || !REQUEST_OPENING.matcher(t).find() && REPORTS_HARM.matcher(t).find();
    }

    /** Lower case, straight apostrophes, contractions spelt out ("I'm" to "i am", "hasn't" to "has not"). */
    static String plain(String sentence) {
        String t = sentence.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        t = t.replace("can't", "cannot").replace("won't", "will not").replace("n't", " not")
                .replace("i'm ", "i am ").replace("'re ", " are ").replace("'ve ", " have ").replace("'ll ", " will ");
        return t.replaceFirst("^(?:(?:ok|okay|so|hi|hello|hey|well|um|please|honestly),? )+", "");
    }
}
