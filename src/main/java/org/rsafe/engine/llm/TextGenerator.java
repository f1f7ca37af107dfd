package org.rsafe.engine.llm;

import org.rsafe.engine.DecodingSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.rsafe.engine.Cancellation;
import org.rsafe.util.UserException;

/**
 * Generates continuations of a batch of prompts with a {@link Qwen2Model}: left-pads the prompts to one
 * length, prefills them together, then decodes one token per row per step from the {@link KvCache}.
 *
 * <p>Each row stops on its own: at an end-of-sequence id, when its decoded text contains a stop string (the
 * text is cut before it), or after {@code maxNewTokens}. Finished rows keep a slot in the batch until all are
 * done (their outputs are ignored); on a memory-bound CPU a wider step costs almost nothing.
 *
 * <p>Streaming: after each token the row's whole generated text is decoded again and the part not yet sent is
 * handed to the listener. Text that could still change is held back: a trailing U+FFFD (a multi-byte
 * character split across tokens) and, when stop strings are set, the last characters that could be the start
 * of one. So the deltas of a row always concatenate to exactly its final text.
 *
 * <p>Cancellation is checked before every decode step. Not thread-safe: it drives one model.
 */
public final class TextGenerator {

    /** Receives text as it is generated. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (row, delta) -> { };

        /** {@code delta} continues the text of prompt number {@code row}; never empty. */
        void onText(int row, String delta);
    }

    /** Why a row stopped; {@code CANCELLED} only for a row whose own cancellation was set (see {@link RowRequest}). */
    public enum StopReason { EOS, STOP_STRING, MAX_NEW_TOKENS, CANCELLED }

    /**
     * One prompt of a batch with its own settings, for batches of unrelated requests (a server's).
     *
     * @param promptIds    the prompt's token ids
     * @param settings     its decoding: sampling fields, {@code maxNewTokens} and {@code seed} are the row's own
     * @param stopStrings  its stop strings (empty for none)
     * @param cancellation ends this row alone, at the next step, with {@link StopReason#CANCELLED}
     */
    public record RowRequest(int[] promptIds, DecodingSettings settings, List<String> stopStrings,
            Cancellation cancellation) {
        public RowRequest {
            Objects.requireNonNull(promptIds, "promptIds");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(cancellation, "cancellation");
            stopStrings = stopStrings == null ? List.of()
                    : stopStrings.stream().filter(s -> s != null && !s.isEmpty()).toList();
        }
    }

    /**
     * One row's result.
     *
     * @param tokenIds     generated ids, the end-of-sequence id included when that is why it stopped
     * @param text         decoded text of the generated ids (special tokens skipped), cut before a stop string
     * @param prefillNanos time of the batch's prefill (shared by its rows)
     * @param decodeNanos  time of the batch's decode steps until this row finished
     */
    public record Generation(int[] promptIds, int[] tokenIds, String text, StopReason stopReason,
            long prefillNanos, long decodeNanos) {
        public Generation {
            promptIds = promptIds.clone();
            tokenIds = tokenIds.clone();
        }

        @Override
        public int[] promptIds() {
            return promptIds.clone();
        }

        @Override
        public int[] tokenIds() {
            return tokenIds.clone();
        }

        public int promptTokens() {
            return promptIds.length;
        }

        public int completionTokens() {
            return tokenIds.length;
        }
    }

    private final Qwen2Model model;
    private final LlmTokenizer tokenizer;
    private final Set<Integer> eosIds;
    private final int padId;

    /**
     * @param eosIds ids that end a row (empty: only stop strings and the token limit do)
     */
    public TextGenerator(Qwen2Model model, LlmTokenizer tokenizer, Collection<Integer> eosIds) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.eosIds = Set.copyOf(new TreeSet<>(eosIds));
        // Any valid id does for padding slots and finished rows: the mask hides them and outputs are ignored.
        this.padId = eosIds.isEmpty() ? 0 : new TreeSet<>(eosIds).first();
    }

    public Qwen2Model model() {
        return model;
    }

    public LlmTokenizer tokenizer() {
        return tokenizer;
    }

    public Set<Integer> eosIds() {
        return eosIds;
    }

    /** Encodes the texts and generates; every row uses {@code settings.seed()}. */
    public List<Generation> generate(List<String> prompts, DecodingSettings settings, List<String> stopStrings,
            Listener listener, Cancellation cancellation) {
        List<int[]> ids = new ArrayList<>(prompts.size());
        for (String p : prompts) {
            ids.add(tokenizer.encode(p));
        }
        long[] seeds = new long[prompts.size()];
        Arrays.fill(seeds, settings.seed());
        return generateIds(ids, settings, seeds, stopStrings, listener, cancellation);
    }

    /**
     * Generates from token ids.
     *
     * @param seeds one seed per prompt (sampling only), so a row's result does not depend on its batch
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public List<Generation> generateIds(List<int[]> prompts, DecodingSettings settings, long[] seeds,
            List<String> stopStrings, Listener listener, Cancellation cancellation) {
        if (seeds.length != prompts.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + seeds.length + " seeds");
        }
        List<RowRequest> rows = new ArrayList<>(prompts.size());
        for (int b = 0; b < prompts.size(); b++) {
            rows.add(new RowRequest(prompts.get(b), settings.withSeed(seeds[b]), stopStrings, Cancellation.none()));
        }
        return generateRows(rows, listener, cancellation);
    }

    /**
     * Generates a batch whose rows each have their own decoding, token limit, stop strings and cancellation; the
     * rows share the prefill and every decode step, and a row's result does not depend on its companions.
     *
     * @param cancellation ends the whole batch with {@link java.util.concurrent.CancellationException}
     */
    public List<Generation> generateRows(List<RowRequest> requests, Listener listener, Cancellation cancellation) {
        int batch = requests.size();
        if (batch == 0) {
            return List.of();
        }
        int vocab = model.config().vocabSize();
        int longest = 0;
        int longestNew = 0;
        for (RowRequest r : requests) {
            int[] p = r.promptIds();
            if (p.length == 0) {
                throw new UserException("cannot generate from an empty prompt");
            }
            for (int id : p) {
                if (id < 0 || id >= vocab) {
                    throw new UserException("token id " + id + " is outside the model's vocabulary (" + vocab + ")");
                }
            }
            longest = Math.max(longest, p.length);
            longestNew = Math.max(longestNew, r.settings().maxNewTokens());
        }

        int[] padding = new int[batch];
        int[][] padded = new int[batch][longest];              // [B, longest], left-padded
        Row[] rows = new Row[batch];
        for (int b = 0; b < batch; b++) {
            RowRequest r = requests.get(b);
            int[] p = r.promptIds();
            padding[b] = longest - p.length;
            Arrays.fill(padded[b], 0, padding[b], padId);
            System.arraycopy(p, 0, padded[b], padding[b], p.length);
            rows[b] = new Row(r, new TokenSampler(r.settings(), vocab, p, r.settings().seed()));
        }

        try (KvCache cache = model.newCache(padding, longest + longestNew)) {
            cancellation.check();
            long t0 = System.nanoTime();
            float[] logits = model.forward(cache, padded);     // [B · V]
            long prefillNanos = System.nanoTime() - t0;
            long decodeStart = System.nanoTime();
            int[] next = new int[batch];
            float[] rowLogits = new float[vocab];
            int active = batch;
            while (true) {
                for (int b = 0; b < batch; b++) {
                    Row row = rows[b];
                    if (row.stopReason == null && row.cancellation.isCancelled()) {
                        row.stopReason = StopReason.CANCELLED;
                        row.decodeNanos = System.nanoTime() - decodeStart;
                        active--;
                    }
                    if (row.stopReason != null) {
                        next[b] = padId;
                        continue;
                    }
                    System.arraycopy(logits, b * vocab, rowLogits, 0, vocab);
                    int id = row.sampler.next(rowLogits);
                    next[b] = id;
                    row.add(id, eosIds.contains(id), tokenizer);
                    String delta = row.takeDelta();
                    if (!delta.isEmpty()) {
                        listener.onText(b, delta);
                    }
                    if (row.stopReason != null) {
                        row.decodeNanos = System.nanoTime() - decodeStart;
                        active--;
                    }
                }
                if (active == 0) {
                    break;
                }
                cancellation.check();
                // The prefill's array is big enough for every step (one position per row) and is reused.
                logits = model.decode(cache, next, logits);
            }
            List<Generation> out = new ArrayList<>(batch);
            for (Row row : rows) {
                out.add(new Generation(row.prompt, Arrays.copyOf(row.ids, row.count), row.text, row.stopReason,
                        prefillNanos, row.decodeNanos));
            }
            return out;
        }
    }

    /** One sequence's progress. */
    private static final class Row {
        final int[] prompt;
        final TokenSampler sampler;
        final int limit;
        final List<String> stops;
        final Cancellation cancellation;
        final StreamedText stream;
        int[] ids = new int[64];
        int count;
        String text = "";
        StopReason stopReason;
        long decodeNanos;

        Row(RowRequest request, TokenSampler sampler) {
            this.prompt = request.promptIds();
            this.sampler = sampler;
            this.limit = request.settings().maxNewTokens();
            this.stops = request.stopStrings();
            this.cancellation = request.cancellation();
            this.stream = new StreamedText(stops.stream().mapToInt(String::length).max().orElse(1) - 1);
        }

        void add(int id, boolean eos, LlmTokenizer tokenizer) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
            }
            ids[count++] = id;
            if (eos) {
                stopReason = StopReason.EOS;
                return;
            }
            text = tokenizer.decode(ids, count);
            for (String stop : stops) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    // Several stop strings may match; cutting in turn keeps the earliest cut.
                    text = text.substring(0, at);
                    stopReason = StopReason.STOP_STRING;
                }
            }
            if (stopReason == null && count >= limit) {
                stopReason = StopReason.MAX_NEW_TOKENS;
            }
        }

        String takeDelta() {
            return stream.advance(text, stopReason != null);
        }
    }
}
