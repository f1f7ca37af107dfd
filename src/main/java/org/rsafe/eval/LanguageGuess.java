package org.rsafe.eval;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Guesses the language of a text for slicing a data set that has no language column, with the n-gram profiles of
 * the optimaize language-detector library (71 languages; an ISO 639-1 code such as {@code en}, {@code de},
 * {@code zh-CN}). A text the library cannot place with probability at least {@value #MIN_PROBABILITY}, or with too
 * few letters, is {@value #UNDETERMINED}: short prompts ("hi", "ok?") carry too little evidence for a guess.
 *
 * <p>Loading the profiles takes about a second and some tens of MB, so one instance is made on first use and shared;
 * {@link #guess} is thread-safe (the detector holds no per-call state).
 */
public final class LanguageGuess {

    /** The slice name of texts without a confident guess. */
    public static final String UNDETERMINED = "und";
    static final double MIN_PROBABILITY = 0.8;
    /** Longest prefix read: the profiles need far less than this, and long texts cost only time. */
    static final int MAX_CHARS = 1000;

    private final LanguageDetector detector;
    private final TextObjectFactory texts;

    private LanguageGuess() {
        try {
            detector = LanguageDetectorBuilder.create(NgramExtractors.standard())
                    .withProfiles(new LanguageProfileReader().readAllBuiltIn()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("the language profiles inside the library could not be read", e);
        }
        texts = CommonTextObjectFactories.forDetectingOnLargeText();
    }

    private static final class Holder {
        static final LanguageGuess INSTANCE = new LanguageGuess();
    }

    public static LanguageGuess shared() {
        return Holder.INSTANCE;
    }

    /** The language code of the text, or {@value #UNDETERMINED}. */
    public String guess(String text) {
        if (text == null || text.codePoints().filter(Character::isLetter).count() < 3) {
            return UNDETERMINED;
        }
        String head = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        List<DetectedLanguage> found = detector.getProbabilities(texts.forText(head));
        if (found.isEmpty() || found.get(0).getProbability() < MIN_PROBABILITY) {
            return UNDETERMINED;
        }
        return found.get(0).getLocale().toString();
    }
}
