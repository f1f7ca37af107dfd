package org.rsafe.engine.quick;

import static org.rsafe.util.FileTrees.deleteTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Example;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.TemplateKind;

/**
 * Measures the quick engine against its own encoder in one process: bare forward passes, the whole
 * engine, late chunking against re-encoding every sentence, and re-judging after a policy edit from the
 * on-disk cache. Used by {@code rsafe bench quick}.
 */
public final class QuickBenchmark {

    /**
     * What one run measured. Times are wall-clock seconds.
     *
     * @param rawSeconds       whole-text forward passes over all texts
     * @param engineSeconds    {@code judgeBatch} over all texts with an empty input cache
     * @param lateSeconds      forward passes that also pool every sentence span (late chunking)
     * @param naiveSeconds     whole text plus every sentence encoded on its own, over {@code naiveRows} texts
     * @param naiveRawSeconds  whole-text passes over those same {@code naiveRows} texts
     * @param cachedSeconds    a fresh engine (new encoder, empty memory) re-judging all texts from the
     *                         disk cache after a policy edit, engine start included
     * @param textsReencoded   texts that fresh engine had to encode (the edited anchor; inputs come from disk)
     * @param lintExamples     examples of the lint policy ({@link #lintPolicy}: 20 clauses x 10 examples)
     * @param lintColdSeconds  leave-one-out check of those examples on the warm engine, texts not yet embedded
     * @param lintEditSeconds  the same check after one example was edited: anchors refitted, texts from the cache
     */
    public record Result(int rows, double meanChars, double meanTokens, double sentencesPerText, int threads,
                         double rawSeconds, double engineSeconds, double lateSeconds,
                         int naiveRows, double naiveSeconds, double naiveRawSeconds,
                         double cachedSeconds, long textsReencoded,
                         int lintExamples, double lintColdSeconds, double lintEditSeconds) {

        public double rawTextsPerSecond() {
            return rows / rawSeconds;
        }

        public double engineRowsPerSecond() {
            return rows / engineSeconds;
        }

        /** Engine time over bare forward-pass time, minus one (0.05 = 5 % overhead). */
        public double overhead() {
            return engineSeconds / rawSeconds - 1;
        }

        public double lateChunkingCost() {
            return lateSeconds / rawSeconds;
        }

        public double naiveChunkingCost() {
            return naiveSeconds / naiveRawSeconds;
        }
    }

    private QuickBenchmark() { }

    /** ~650-character texts stitched from the policy's own examples, for runs without a data file. */
    public static List<String> syntheticTexts(Policy policy, int rows) {
        List<String> pieces = new ArrayList<>();
        for (Clause c : policy.clauses()) {
            c.violating().forEach(e -> pieces.add(e.text()));
            c.safe().forEach(e -> pieces.add(e.text()));
        }
        if (pieces.isEmpty()) {
            pieces.add("An ordinary sentence about the weather and the weekend.");
        }
        List<String> out = new ArrayList<>(rows);
        int k = 0;
        for (int r = 0; r < rows; r++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 650) {
                String p = pieces.get((k * 7 + r) % pieces.size()).strip();
                b.append(p).append(p.endsWith(".") || p.endsWith("?") || p.endsWith("!") ? " " : ". ");
                k++;
            }
            out.add(b.toString().strip());
        }
        return out;
    }

    /**
     * Runs the four measurements. (1), (2) and (3) are interleaved chunk by chunk, in rotating order, so
     * that background load on a shared machine slows every method alike instead of skewing one of them.
     */
    public static Result run(Policy policy, List<String> texts, int threads, Consumer<String> progress) {
        int n = texts.size();
        if (n == 0) {
            throw new IllegalArgumentException("no texts to measure");
        }
        List<SentenceEncoder.SpanText> withSpans = new ArrayList<>(n);
        long sentences = 0;
        long chars = 0;
        for (String t : texts) {
            List<Span> s = SentenceSplitter.split(t);
            withSpans.add(new SentenceEncoder.SpanText(t, s));
            sentences += s.size();
            chars += t.length();
        }
        QuickEngineOptions memoryOnly = QuickEngineOptions.defaults().withThreads(threads).withCacheDir(null);
        try (SentenceEncoder encoder = SentenceEncoder.open(threads);
             QuickEngine engine = QuickEngine.create(memoryOnly, encoder)) {
            progress.accept("warming up");
            encoder.embed(texts.subList(0, Math.min(n, 2 * threads)));
            engine.judge(JudgeRequest.of(policy, "warm-up text for the anchors"));

            progress.accept("(1)-(3) bare passes, engine and late chunking, interleaved");
            long tokens0 = encoder.tokensEncoded();
            double[] t = new double[3];   // raw, late, engine
            int chunk = Math.max(8, 8 * threads);
            for (int from = 0, round = 0; from < n; from += chunk, round++) {
                int to = Math.min(n, from + chunk);
                List<String> part = texts.subList(from, to);
                List<SentenceEncoder.SpanText> partSpans = withSpans.subList(from, to);
                List<JudgeRequest> partRequests = requests(policy, part);
                for (int k = 0; k < 3; k++) {
                    int which = (k + round) % 3;
                    t[which] += switch (which) {
                        case 0 -> time(() -> encoder.embed(part));
                        case 1 -> time(() -> encoder.embedSpans(partSpans, Cancellation.none()));
                        default -> time(() -> engine.judgeBatch(partRequests, JudgeListener.NONE, Cancellation.none()));
                    };
                }
            }
            double meanTokens = (encoder.tokensEncoded() - tokens0) / (3.0 * n);

            progress.accept("(3) re-encoding every sentence");
            int naiveRows = Math.min(n, 100);
            double naive = 0;
            double naiveRaw = 0;
            for (int from = 0, round = 0; from < naiveRows; from += chunk, round++) {
                int to = Math.min(naiveRows, from + chunk);
                List<String> each = new ArrayList<>();
                for (SentenceEncoder.SpanText st : withSpans.subList(from, to)) {
                    each.add(st.text());
                    st.spans().forEach(s -> each.add(s.of(st.text())));
                }
                List<String> whole = texts.subList(from, to);
                if (round % 2 == 0) {
                    naive += time(() -> encoder.embed(each));
                    naiveRaw += time(() -> encoder.embed(whole));
                } else {
                    naiveRaw += time(() -> encoder.embed(whole));
                    naive += time(() -> encoder.embed(each));
                }
            }

            progress.accept("(4) re-judging after a policy edit");
            Path dir = Files.createTempDirectory("rsafe-bench-cache");
            try {
                QuickEngineOptions onDisk = memoryOnly.withCacheDir(dir);
                // The disk cache a previous run would have left: everything engine (2) encoded.
                try (InputEmbeddingCache disk = InputEmbeddingCache.open(dir, SentenceEncoder.modelHash(), onDisk.cacheMaxBytes())) {
                    engine.cache().copyMemoryTo(disk);
                }
                Policy edited = editOneExample(policy);
                List<JudgeRequest> again = requests(edited, texts);
                long[] encoded = new long[1];
                double cached = time(() -> {
                    try (SentenceEncoder own = SentenceEncoder.open(threads);
                         QuickEngine fresh = QuickEngine.create(onDisk, own)) {
                        fresh.judgeBatch(again, JudgeListener.NONE, Cancellation.none());
                        encoded[0] = own.textsEncoded();
                    }
                });
                progress.accept("(5) lint: every example judged with itself held out");
                Policy lint = lintPolicy(policy);
                int examples = lint.clauses().stream().mapToInt(c -> c.violating().size() + c.safe().size()).sum();
                engine.judge(JudgeRequest.of(lint, "warm-up text for the anchors"));
                double lintCold = time(() -> engine.checkExamples(lint, Cancellation.none()));
                Policy lintEdited = editOneExample(lint);
                double lintEdit = time(() -> engine.checkExamples(lintEdited, Cancellation.none()));
                return new Result(n, chars / (double) n, meanTokens, sentences / (double) n, threads, t[0], t[2], t[1],
                        naiveRows, naive, naiveRaw, cached, encoded[0], examples, lintCold, lintEdit);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JudgeRequest> requests(Policy policy, List<String> texts) {
        List<JudgeRequest> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(new JudgeRequest("row-" + (i + 1), policy, texts.get(i), null, TemplateKind.PAPER));
        }
        return out;
    }

    /**
     * A policy of 20 clauses with 5 violating and 5 safe examples each, made from {@code p}'s own examples (taken in
     * turn, numbered so that no two texts are equal): the size lint's leave-one-out check is measured at.
     */
    static Policy lintPolicy(Policy p) {
        List<String> violating = new ArrayList<>();
        List<String> safe = new ArrayList<>();
        for (Clause c : p.clauses()) {
            c.violating().forEach(e -> violating.add(e.text().strip()));
            c.safe().forEach(e -> safe.add(e.text().strip()));
        }
        if (violating.isEmpty()) {
            violating.add("Explain how to break into a neighbour's house.");
        }
        if (safe.isEmpty()) {
            safe.add("Explain how to lock my own house properly.");
        }
        List<Clause> clauses = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < 20; i++) {
            List<Example> v = new ArrayList<>();
            List<Example> s = new ArrayList<>();
            for (int j = 0; j < 5; j++, k++) {
                String round = k < violating.size() ? "" : " (" + (k / violating.size() + 1) + ")";
                v.add(new Example(violating.get(k % violating.size()) + round, org.rsafe.util.SourcePos.UNKNOWN));
                String roundSafe = k < safe.size() ? "" : " (" + (k / safe.size() + 1) + ")";
                s.add(new Example(safe.get(k % safe.size()) + roundSafe, org.rsafe.util.SourcePos.UNKNOWN));
            }
            clauses.add(new Clause("L" + (i + 1), "Lint clause " + (i + 1), "Clause " + (i + 1) + " of the lint bench.",
                    v, s, null, null, org.rsafe.util.SourcePos.UNKNOWN, java.util.Map.of()));
        }
        return new Policy(p.formatVersion(), p.id() + "-lint", p.name(), p.version(), p.description(), p.appliesTo(),
                p.instructions(), clauses, p.positions(), "");
    }

    /** The policy with its first example reworded, as a user editing the file would. */
    static Policy editOneExample(Policy p) {
        List<Clause> clauses = new ArrayList<>(p.clauses());
        for (int i = 0; i < clauses.size(); i++) {
            Clause c = clauses.get(i);
            if (!c.violating().isEmpty()) {
                List<Example> v = new ArrayList<>(c.violating());
                v.set(0, new Example(v.get(0).text() + " Tell me now.", v.get(0).pos()));
                clauses.set(i, new Clause(c.id(), c.title(), c.description(), v, c.safe(), c.severity(), c.threshold(),
                        c.pos(), c.positions()));
                break;
            }
        }
        return new Policy(p.formatVersion(), p.id(), p.name(), p.version() + "+edit", p.description(), p.appliesTo(),
                p.instructions(), clauses, p.positions(), "");
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
