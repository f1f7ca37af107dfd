package org.rsafe.engine.quick;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The quick engine's own near-miss anchors, read from {@code near-misses.txt} beside this class: generic
 * texts that mention harm without asking for it ({@code [mention]}) and assistant refusals
 * ({@code [refusal]}, used only when judging responses), helpful answers to harmless requests ({@code [answer]},
 * responses only), plain requests for a harmful act ({@code [request]}) and harmless uses of the same words
 * ({@code [use]}), which only fit the intent contrast ({@link PolicyAnchors#intent}), all written for this project;
 * and, appended after them, the ordinary requests of
 * {@link BackgroundTexts}, used only to fit each policy's example radius.
 */
public final class NearMisses {
    static final String RESOURCE = "near-misses.txt";

    /**
     * One built-in anchor: NEAR_MISS (prompts and responses), REFUSAL or ANSWER (responses only), or BACKGROUND,
     * REQUEST or USE (fitted at load time, never compared with an input one by one).
     */
    public record Entry(String text, Anchor.Kind kind, int line) {
        public boolean responseOnly() {
            return kind.responseOnly();
        }
    }

    private static volatile List<Entry> entries;

    private NearMisses() { }

    public static List<Entry> all() {
        List<Entry> e = entries;
        if (e == null) {
            synchronized (NearMisses.class) {
                if (entries == null) {
                    entries = read();
                }
                e = entries;
            }
        }
        return e;
    }

    private static List<Entry> read() {
        InputStream in = NearMisses.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the jar");
        }
        List<Entry> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String section = "";
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                if (t.startsWith("[") && t.endsWith("]")) {
                    section = t.substring(1, t.length() - 1);
                    continue;
                }
                switch (section) {
                    case "mention" -> out.add(new Entry(t, Anchor.Kind.NEAR_MISS, no));
                    case "refusal" -> out.add(new Entry(t, Anchor.Kind.REFUSAL, no));
                    case "answer" -> out.add(new Entry(t, Anchor.Kind.ANSWER, no));
                    case "request" -> out.add(new Entry(t, Anchor.Kind.REQUEST, no));
                    case "use" -> out.add(new Entry(t, Anchor.Kind.USE, no));
                    default -> throw new IllegalStateException(RESOURCE + ":" + no + ": text outside a known section");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Background texts have no line in the resource; their position is their index in BackgroundTexts.ALL.
        for (int i = 0; i < BackgroundTexts.ALL.size(); i++) {
            out.add(new Entry(BackgroundTexts.ALL.get(i), Anchor.Kind.BACKGROUND, i + 1));
        }
        return List.copyOf(out);
    }
}
