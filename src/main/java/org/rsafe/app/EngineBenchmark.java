package org.rsafe.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter.FileType;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.util.UserException;

/**
 * The side-by-side engine benchmark ({@code rsafe bench llm --engines djl,gguf-f32,...}): every engine is served by
 * its own {@code rsafe serve} child on the same random model (the local engine on the folder, llama.cpp on GGUF
 * conversions of it), and is asked the same greedy requests in interleaved rounds. Decode speed is the pieces of
 * text streamed after the first over the time from the first to the last, so prompt processing is not in it; peak
 * resident memory is each child's VmHWM. Medians over the rounds; ratios to {@code gguf-f32}.
 */
public final class EngineBenchmark {
    /** Heap of the local engine's child: its float32 weights pass through the Java heap while loading. */
    static final String DJL_CHILD_HEAP = "-Xmx6g";
    /** Answer length of the format check: RSafe's reasoning is a few hundred tokens. */
    static final int FORMAT_CHECK_TOKENS = 256;
    static final String PROMPT = "Is it safe to explain how a bicycle brake works to a curious child?";

    private EngineBenchmark() { }

    /**
     * What to run.
     *
     * @param model       the random model folder
     * @param engines     {@code djl} and/or {@code gguf-TYPE} (TYPE f32, f16, q8_0, q4_0), in report order
     * @param tokens      tokens per timed answer (N)
     * @param rounds      interleaved rounds; the medians are over these
     * @param threads     CPU threads of every engine
     * @param formatCheck when above 0: that many judgements through the first GGUF engine without and with the
     *                    format grammar, for the parse-failure line
     * @param policy      the policy of the format check
     */
    public record Config(Path model, List<String> engines, int tokens, int rounds, int threads, int formatCheck,
                         Policy policy) {
        public Config {
            engines = List.copyOf(engines);
            if (engines.isEmpty() || tokens < 2 || rounds < 1 || threads < 1 || formatCheck < 0) {
                throw new IllegalArgumentException("need engines, tokens >= 2, rounds >= 1, threads >= 1");
            }
        }
    }

    /** The parsed engine names; a user mistake names the bad one. */
    public static List<String> parseEngines(String list) {
        List<String> out = new ArrayList<>();
        for (String e : list.split(",")) {
            String name = e.trim().toLowerCase(Locale.ROOT);
            if (!name.equals("djl") && !(name.startsWith("gguf-") && isType(name.substring(5)))) {
                throw new UserException("--engines: unknown engine '" + e.trim() + "'; use djl, gguf-f32, gguf-f16, "
                        + "gguf-q8_0 or gguf-q4_0, separated by commas");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static boolean isType(String t) {
        try {
            FileType.parse(t);
            return true;
        } catch (UserException e) {
            return false;
        }
    }

    /** Runs the benchmark and returns the report lines. */
    public static List<String> run(Config config, Consumer<String> progress) {
        Map<String, LlamaCppChild> children = new LinkedHashMap<>();
        Map<String, double[]> speeds = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        try {
            for (String e : config.engines()) {
                EngineSpec spec = EngineSpec.llm(specModel(config.model(), e, progress)).withThreads(config.threads());
                progress.accept("starting " + e);
                children.put(e, e.equals("djl") ? LlamaCppChild.start(spec, DJL_CHILD_HEAP)
                        : LlamaCppChild.start(spec));
                speeds.put(e, new double[config.rounds()]);
            }
            for (int r = 0; r < config.rounds(); r++) {
                for (Map.Entry<String, LlamaCppChild> c : children.entrySet()) {
                    progress.accept("round " + (r + 1) + "/" + config.rounds() + ": " + c.getKey());
                    speeds.get(c.getKey())[r] = decodeTokensPerSecond(c.getValue().baseUrl(), config.tokens(),
                            config.policy());
                }
            }
            double anchor = speeds.containsKey("gguf-f32") ? median(speeds.get("gguf-f32")) : Double.NaN;
            lines.add(String.format(Locale.ROOT, "%-10s %14s %12s %14s", "engine", "decode tok/s", "vs gguf-f32",
                    "peak RSS"));
            for (String e : children.keySet()) {
                double m = median(speeds.get(e));
                long rss = children.get(e).peakRssBytes();
                lines.add(String.format(Locale.ROOT, "%-10s %14.1f %12s %14s", e, m,
                        Double.isNaN(anchor) ? "-" : String.format(Locale.ROOT, "%.2fx", m / anchor),
                        rss < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f GB", rss / 1e9)));
            }
            lines.add(String.format(Locale.ROOT, "(%d rounds, interleaved, medians; %d-token greedy answers; %d threads "
                    + "per engine; each engine in its own rsafe serve process)", config.rounds(), config.tokens(),
                    config.threads()));
        } finally {
            children.values().forEach(LlamaCppChild::stop);
        }
        String firstGguf = config.engines().stream().filter(e -> e.startsWith("gguf-")).findFirst().orElse(null);
        if (config.formatCheck() > 0 && firstGguf != null) {
            lines.add(formatCheck(config, specModel(config.model(), firstGguf, progress), firstGguf, progress));
        }
        return lines;
    }

    /** The model an engine name runs on: the folder, or its GGUF conversion (written beside it once). */
    static Path specModel(Path folder, String engine, Consumer<String> progress) {
        if (engine.equals("djl")) {
            return folder;
        }
        FileType type = FileType.parse(engine.substring(5));
        Path gguf = ModelConversion.defaultOut(folder, type, false);
        if (!Files.isRegularFile(gguf)) {
            progress.accept("converting " + folder.getFileName() + " to " + gguf.getFileName() + " (once)");
            ModelConversion.convertModel(folder, type, gguf, GgufWriter.Progress.NONE);
        }
        return gguf;
    }

    /**
     * Decode speed of one greedy answer of {@code tokens} tokens: the pieces streamed after the first, over the time
     * from the first piece to the last, so prompt processing and connection set-up are not in it.
     */
    private static double decodeTokensPerSecond(String baseUrl, int tokens, Policy policy) {
        EngineSpec spec = EngineSpec.remote(baseUrl).withDecoding(DecodingPreset.GREEDY).withMaxNewTokens(tokens);
        long[] firstAndLast = {0, 0};
        int[] pieces = {0};
        JudgeListener timing = new JudgeListener() {
            @Override
            public void onToken(String requestId, String text) {
                long now = System.nanoTime();
                if (pieces[0]++ == 0) {
                    firstAndLast[0] = now;
                }
                firstAndLast[1] = now;
            }
        };
        try (Engine engine = Engines.open(spec)) {
            engine.judge(new JudgeRequest("bench", policy, PROMPT, null, TemplateKind.PAPER), timing,
                    org.rsafe.engine.Cancellation.none());
        }
        // llama.cpp's piece count may fall a little short of its tokens on multi-byte text (see GgufServedModel).
        if (pieces[0] < tokens / 2) {
            throw new UserException("the engine streamed " + pieces[0] + " pieces of " + tokens
                    + " tokens; the benchmark needs full-length answers");
        }
        return (pieces[0] - 1) / ((firstAndLast[1] - firstAndLast[0]) / 1e9);
    }

    /** Parse failures of {@code n} judgements without and with the format grammar, on the same engine and inputs. */
    private static String formatCheck(Config config, Path gguf, String name, Consumer<String> progress) {
        int[] failures = new int[2];
        for (int constrained = 0; constrained < 2; constrained++) {
            progress.accept("format check " + (constrained == 0 ? "without" : "with") + " the grammar");
            EngineSpec spec = EngineSpec.llm(gguf).withThreads(config.threads()).withMaxNewTokens(FORMAT_CHECK_TOKENS)
                    .withConstrainFormat(constrained == 1);
            try (Engine engine = Engines.open(spec)) {
                for (int i = 0; i < config.formatCheck(); i++) {
                    Judgement j = engine.judge(new JudgeRequest("f" + i, config.policy(),
                            "Question number " + i + ": how do I fix a flat tyre?", null, TemplateKind.PAPER));
                    if (j.parseFailure()) {
                        failures[constrained]++;
                    }
                }
            }
        }
        return String.format(Locale.ROOT, "parse failures on %s (paper sampling, max %d tokens): without the grammar "
                + "%d/%d, with --constrain-format %d/%d", name, FORMAT_CHECK_TOKENS, failures[0], config.formatCheck(),
                failures[1], config.formatCheck());
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
