package org.rsafe.prompt;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Estimates how many Qwen2.5 tokens a text takes, without the tokenizer, so the workbench can warn about
 * long prompts before a model is loaded. It is an estimate: the LLM engine counts exactly with the
 * model's own tokenizer and reports that number with each result.
 *
 * <p>Rule. The text is first cut the way Qwen's BPE pre-tokenizer cuts it: chat control tokens
 * ({@code <|im_start|>}, {@code <|im_end|>}, {@code <|endoftext|>}), English contractions, letter runs with
 * at most one leading non-letter (usually the space), single digits, punctuation runs (with an optional
 * leading space and trailing line breaks), and whitespace runs. Each piece then counts:
 * <ul>
 *   <li>control token, contraction, digit, whitespace run: 1;</li>
 *   <li>ASCII letter run of n letters: 1 when n ≤ 9 (common words are single tokens in a 151k
 *       vocabulary), else ⌈n/6⌉; an all-capitals run of n ≥ 4 letters: ⌈n/3⌉ (capitals split more);</li>
 *   <li>ASCII punctuation run of n characters: ⌈n/2⌉;</li>
 *   <li>every non-ASCII character: 1 (close for Chinese, an overestimate for most other scripts).</li>
 * </ul>
 * On the reference chat prefix and suffix whose exact ids are published for Qwen2.5 (24 and 5 tokens),
 * this gives 23 and 5. Expect it to be off by some tens of percent on unusual text (rare words, code,
 * long numbers are counted exactly, emoji are undercounted).
 */
public final class TokenEstimator {

    private static final Pattern PIECE = Pattern.compile(
            "(?<control><\\|(?:im_start|im_end|endoftext)\\|>)"
            + "|(?<contraction>'(?i:s|t|re|ve|m|ll|d))"
            + "|[^\\r\\n\\p{L}\\p{N}]?(?<letters>\\p{L}+)"
            + "|(?<digit>\\p{N})"
            + "| ?(?<punct>[^\\s\\p{L}\\p{N}]+)[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    private TokenEstimator() { }

    /** Estimated number of tokens in {@code text}; 0 for the empty string. */
    public static int estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        Matcher m = PIECE.matcher(text);
        int tokens = 0;
        int covered = 0;
        while (m.find()) {
            // The alternatives cover every character; a gap would mean a pattern bug, so count it anyway.
            tokens += m.start() - covered;
            covered = m.end();
            if (m.group("letters") != null) {
                tokens += letterTokens(m.group("letters"));
            } else if (m.group("punct") != null) {
                tokens += punctuationTokens(m.group("punct"));
            } else {
                tokens += 1;
            }
        }
        return tokens + (text.length() - covered);
    }

    private static int letterTokens(String letters) {
        int nonAscii = 0;
        int ascii = 0;
        boolean allUpper = true;
        for (int i = 0; i < letters.length(); ) {
            int cp = letters.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 128) {
                ascii++;
                allUpper &= Character.isUpperCase(cp);
            } else {
                nonAscii++;
            }
        }
        int asciiTokens;
        if (ascii == 0) {
            asciiTokens = 0;
        } else if (allUpper && ascii >= 4) {
            asciiTokens = ceilDiv(ascii, 3);
        } else {
            asciiTokens = ascii <= 9 ? 1 : ceilDiv(ascii, 6);
        }
        return asciiTokens + nonAscii;
    }

    private static int punctuationTokens(String punct) {
        int ascii = 0;
        int nonAscii = 0;
        for (int i = 0; i < punct.length(); ) {
            int cp = punct.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 128) {
                ascii++;
            } else {
                nonAscii++;
            }
        }
        return ceilDiv(ascii, 2) + nonAscii;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
