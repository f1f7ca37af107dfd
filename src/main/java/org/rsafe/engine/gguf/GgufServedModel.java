package org.rsafe.engine.gguf;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.LogLevel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.serve.ServedModel;
import org.rsafe.util.UserException;

/**
 * A {@link ServedModel} over llama.cpp (java-llama.cpp's {@link LlamaModel}) for a GGUF file. Native code that can
 * end the process runs here, so this class is used only inside the child process {@code rsafe serve --model
 * FILE.gguf}, never in the workbench's own JVM.
 *
 * <p>The library's silent behaviours are guarded here: the file (and adapter) is checked by {@link GgufModelCheck}
 * before llama.cpp sees it; context shift is disabled, and a prompt that would not fit is refused with its token
 * counts instead of being cut from the front; the format grammar is validated by {@link Gbnf} before it is sent;
 * token probabilities are never requested ({@code n_probs} aborts the process in this build). The process must
 * call {@link System#exit} after {@link #close()}: the library keeps non-daemon native threads.
 *
 * <p>Token counts: llama.cpp streams one piece per token, but holds back a token whose bytes end inside a UTF-8
 * character and sends it with the next one; {@code completionTokens} counts the pieces, so it can be lower than the
 * tokens generated when the text holds multi-byte characters.
 */
public final class GgufServedModel implements ServedModel {
    /** Context window used when the model's own is longer: RSafe prompts with a policy fit, and the KV cache stays small. */
    public static final int DEFAULT_CONTEXT = 8192;
    private static final Field PARAMETERS = parametersField();
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * How to open the model.
     *
     * @param model           the GGUF model file
     * @param adapter         a GGUF LoRA adapter applied at load (scale 1), or null
     * @param threads         CPU threads; 0 = one per core
     * @param contextLength   KV-cache length; 0 = the smaller of the model's and {@link #DEFAULT_CONTEXT}
     * @param constrainFormat constrain every generation with {@link Gbnf#RSAFE_FORMAT}
     */
    public record Options(Path model, Path adapter, int threads, int contextLength, boolean constrainFormat) {
        public Options {
            if (threads < 0 || contextLength < 0) {
                throw new IllegalArgumentException("threads and contextLength must be >= 0");
            }
        }
    }

    private final LlamaModel llama;
    private final String modelId;
    private final int vocabSize;
    private final int contextLength;
    private final String grammar;
    private final List<String> notices;
    private final java.util.Set<String> controlTexts;

    private GgufServedModel(LlamaModel llama, String modelId, int vocabSize, int contextLength, String grammar,
                            List<String> notices, java.util.Set<String> controlTexts) {
        this.controlTexts = controlTexts;
        this.llama = llama;
        this.modelId = modelId;
        this.vocabSize = vocabSize;
        this.contextLength = contextLength;
        this.grammar = grammar;
        this.notices = notices;
    }

    /** Checks the file (and adapter), then loads it in llama.cpp; a unusable file is a UserException. */
    public static GgufServedModel open(Options o) {
        GgufModelCheck.ModelFacts facts;
        try (GgufFile f = GgufFile.open(o.model())) {
            facts = GgufModelCheck.checkModel(f);
            if (o.adapter() != null) {
                try (GgufFile a = GgufFile.open(o.adapter())) {
                    GgufModelCheck.checkAdapter(a, f);
                }
            }
        }
        String grammar = null;
        if (o.constrainFormat()) {
            Gbnf.validate(Gbnf.RSAFE_FORMAT);
            Gbnf.validate(Gbnf.rsafeTailAfter("").orElseThrow());
            grammar = Gbnf.RSAFE_FORMAT;
        }
        int context = o.contextLength() > 0 ? o.contextLength() : Math.min(facts.trainContextLength(), DEFAULT_CONTEXT);
        int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
        LlamaModel.setLogger(LogFormat.TEXT, GgufServedModel::log);
        ModelParameters p = new ModelParameters().setModel(o.model().toString()).setCtxSize(context)
                .setThreads(threads).setThreadsBatch(threads).setParallel(1).disableContextShift().setGpuLayers(0)
                .enableSpecial();
        if (o.adapter() != null) {
            p.addLoraAdapter(o.adapter().toString());
        }
        LlamaModel llama = new LlamaModel(p);
        List<String> notices = new ArrayList<>();
        if (o.constrainFormat()) {
            notices.add("outputs are constrained to <think>...</think> then \\boxed{safe} or \\boxed{unsafe}");
        }
        return new GgufServedModel(llama, fileName(o.model()), facts.vocabSize(), context, grammar, List.copyOf(notices),
                facts.controlTokens());
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public List<String> notices() {
        return notices;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int[] encode(String chatText) {
        return llama.encode(chatText);
    }

    @Override
    public List<Generation> generate(List<Prompt> prompts) {
        for (Prompt p : prompts) {
            check(p);
        }
        List<Generation> out = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            out.add(generateOne(p));
        }
        return out;
    }

    /** Refuses what llama.cpp would silently cut, shift or read out of bounds. */
    private void check(Prompt p) {
        for (int id : p.tokenIds()) {
            if (id < 0 || id >= vocabSize) {
                throw new UserException("token id " + id + " is outside the model's " + vocabSize + " tokens");
            }
        }
        int total = p.tokenIds().length + p.decoding().maxNewTokens();
        if (p.tokenIds().length == 0 || total > contextLength) {
            throw new UserException("the prompt is " + p.tokenIds().length + " tokens and max_tokens "
                    + p.decoding().maxNewTokens() + "; together they exceed the context of " + contextLength
                    + " tokens");
        }
    }

    private Generation generateOne(Prompt p) {
        StopStrings stops = new StopStrings(p.stop(), p.listener()::onText);
        int budget = p.decoding().maxNewTokens();
        boolean twoPhases = grammar != null && budget > 2 * Gbnf.RSAFE_TAIL_TOKENS;
        // With the format grammar, the reasoning may use the budget less the tail's tokens; if it does, a second
        // request forces the tail, so a constrained answer always ends in a verdict.
        int first = twoPhases ? budget - Gbnf.RSAFE_TAIL_TOKENS : budget;
        Phase one = run(promptJson(p.tokenIds(), null), p, first, grammar, stops);
        Phase done = one;
        int pieces = one.pieces;
        String raw = stops.raw();
        int tailStart = raw.indexOf('<', 1);
        java.util.Optional<String> tailGrammar = Gbnf.rsafeTailAfter(tailStart < 0 ? "" : raw.substring(tailStart));
        if (twoPhases && one.reason == StopReason.MAX_TOKENS && tailGrammar.isPresent()) {
            Gbnf.validate(tailGrammar.get());
            Phase tail = run(promptJson(p.tokenIds(), raw), p, Gbnf.RSAFE_TAIL_TOKENS, tailGrammar.get(), stops);
            pieces += tail.pieces;
            done = tail;
        }
        String text = stops.finish(done.reason != StopReason.STOP_STRING);
        return new Generation(text, p.tokenIds().length, pieces, done.reason);
    }

    /** What one llama.cpp request produced: its token pieces and why it ended. */
    private record Phase(int pieces, StopReason reason) { }

    private Phase run(String prompt, Prompt p, int maxTokens, String grammarOrNull, StopStrings stops) {
        InferenceParameters params = parameters(prompt, p.decoding(), maxTokens, grammarOrNull);
        LlamaIterator it = (LlamaIterator) llama.generate(params).iterator();
        int pieces = 0;
        boolean lastWasControl = false;
        while (it.hasNext()) {
            if (p.cancellation().isCancelled()) {
                it.cancel();
                return new Phase(pieces, StopReason.CANCELLED);
            }
            LlamaOutput o = it.next();
            if (!it.hasNext() && o.text.isEmpty()) {
                break; // the closing message of the stream, not a token
            }
            pieces++;
            // Special tokens are streamed as their text (enableSpecial) so that the end token can be told apart from
            // the token limit; like the local engine's decoder, their text is not part of the output.
            lastWasControl = controlTexts.contains(o.text);
            if (!lastWasControl && stops.add(o.text)) {
                it.cancel();
                return new Phase(pieces, StopReason.STOP_STRING);
            }
        }
        // Without stop strings sent to llama.cpp, its stream ends at an end token or at n_predict.
        return new Phase(pieces, lastWasControl ? StopReason.EOS : StopReason.MAX_TOKENS);
    }

    /** The prompt as llama.cpp's server takes it: token ids, then optionally text to continue from. */
    static String promptJson(int[] ids, String continuation) {
        StringBuilder json = new StringBuilder("[");
        for (int k = 0; k < ids.length; k++) {
            json.append(k == 0 ? "" : ",").append(ids[k]);
        }
        if (continuation != null) {
            try {
                json.append(',').append(JSON.writeValueAsString(continuation));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return json.append(']').toString();
    }

    /** The request for llama.cpp: the prompt JSON, the sampling of {@code d}, no prompt cache. */
    static InferenceParameters parameters(String promptJson, DecodingSettings d, int maxTokens, String grammar) {
        InferenceParameters params = new InferenceParameters("").setNPredict(maxTokens)
                .setSeed((int) d.seed()).setCachePrompt(false).setMinP(0f).setTypicalP(1f)
                .setRepeatPenalty((float) d.repetitionPenalty()).setRepeatLastN(-1);
        if (d.greedy()) {
            params.setTemperature(0f);
        } else {
            params.setTemperature((float) d.temperature()).setTopP((float) d.topP()).setTopK(d.topK());
        }
        if (grammar != null) {
            params.setGrammar(grammar);
        }
        rawParameters(params).put("prompt", promptJson);
        return params;
    }

    /**
     * The library offers only text prompts; its request is JSON built from this map, and llama.cpp's server takes a
     * prompt given as an array of token ids, which keeps the ids exactly as {@link #encode} (or the caller) made them.
     */
    @SuppressWarnings("unchecked")
    private static java.util.Map<String, String> rawParameters(InferenceParameters params) {
        try {
            return (java.util.Map<String, String>) PARAMETERS.get(params);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("java-llama.cpp's parameter map is not accessible", e);
        }
    }

    private static Field parametersField() {
        try {
            Field f = Class.forName("de.kherud.llama.JsonParameters").getDeclaredField("parameters");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this java-llama.cpp version has no parameter map to set a token prompt", e);
        }
    }

    private static void log(LogLevel level, String message) {
        if (level == LogLevel.ERROR || level == LogLevel.WARN) {
            System.err.print("llama.cpp " + level.name().toLowerCase(Locale.ROOT) + ": " + message);
        }
    }

    private static String fileName(Path p) {
        Path n = p.toAbsolutePath().normalize().getFileName();
        return n == null ? p.toString() : n.toString();
    }

    @Override
    public void close() {
        llama.close();
    }

    /**
     * Streams text while watching for stop strings: the part that could still become a stop string is held back, so
     * the pieces passed on always concatenate to the final text, which ends before the first stop string found.
     */
    static final class StopStrings {
        private final List<String> stops;
        private final Consumer<String> sink;
        private final StringBuilder text = new StringBuilder();
        private int sent;

        StopStrings(List<String> stops, Consumer<String> sink) {
            this.stops = stops;
            this.sink = sink;
        }

        /** Adds a piece; true when a stop string now appears (the text is cut before it). */
        boolean add(String piece) {
            text.append(piece);
            int cut = -1;
            for (String s : stops) {
                int at = text.indexOf(s, Math.max(0, sent - s.length()));
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                }
            }
            if (cut >= 0) {
                text.setLength(cut);
                emit(cut);
                return true;
            }
            emit(text.length() - heldBack());
            return false;
        }

        /** Everything added so far, held-back text included (before any cut at a stop string). */
        String raw() {
            return text.toString();
        }

        /** The final text; {@code flush} passes on what was held back (the generation ended without a stop). */
        String finish(boolean flush) {
            if (flush) {
                emit(text.length());
            } else {
                text.setLength(sent);
            }
            return text.toString();
        }

        /** Length of the longest end of the text that begins some stop string. */
        private int heldBack() {
            int hold = 0;
            for (String s : stops) {
                for (int n = Math.min(s.length() - 1, text.length() - sent); n > hold; n--) {
                    if (s.startsWith(text.substring(text.length() - n))) {
                        hold = n;
                        break;
                    }
                }
            }
            return hold;
        }

        private void emit(int upTo) {
            if (upTo > sent) {
                sink.accept(text.substring(sent, upTo));
                sent = upTo;
            }
        }
    }
}
