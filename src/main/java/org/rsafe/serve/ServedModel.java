package org.rsafe.serve;

import java.util.List;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;

/**
 * What {@link ChatServer} needs of a model: turn chat text into token ids, and generate for several prompts at once.
 * The server owns the model it is given and closes it with itself.
 *
 * <p>Threads: {@link #generate} is called by one thread at a time (the server's batcher); {@link #encode} may be
 * called from request threads while a batch generates, so an implementation must allow that (or guard it itself).
 * A prompt's listener is called on the generating thread and must return quickly.
 */
public interface ServedModel extends AutoCloseable {

    /** The id clients name in {@code model} and see in {@code /v1/models}. */
    String modelId();

    /** Notes for the user about the model (random weights, config remarks); empty when none. */
    List<String> notices();

    /** Most tokens a prompt and its completion may hold together. */
    int contextLength();

    /**
     * The token ids of {@code chatText}, the conversation already in the model's chat format with the assistant header
     * open (special tokens in the text are encoded as special tokens).
     */
    int[] encode(String chatText);

    /**
     * Generates a continuation of every prompt, together where the model can, and returns one {@link Generation} per
     * prompt in the same order. Each prompt's result must not depend on the others in the batch (with greedy decoding
     * it is the one it would get alone). A prompt whose cancellation is set ends at the next token with
     * {@link StopReason#CANCELLED} and the text so far; the other prompts go on.
     *
     * @throws org.rsafe.util.UserException for a prompt the model cannot take (an id outside its vocabulary)
     */
    List<Generation> generate(List<Prompt> prompts);

    /** Frees the model; called once, when no generation runs. */
    @Override
    void close();

    /** Receives a prompt's text as it is generated; the pieces concatenate to exactly the final text. */
    @FunctionalInterface
    interface TextListener {
        TextListener NONE = piece -> { };

        /** {@code piece} continues the text; never empty. */
        void onText(String piece);
    }

    /**
     * One prompt to generate for.
     *
     * @param tokenIds     the prompt, from {@link #encode}
     * @param decoding     its sampling fields, {@code maxNewTokens} (the request's {@code max_tokens}) and seed
     * @param stop         strings that end the text (cut before the first one found); empty for none
     * @param listener     where the text goes as it is generated
     * @param cancellation ends this prompt alone
     */
    record Prompt(int[] tokenIds, DecodingSettings decoding, List<String> stop, TextListener listener,
                  Cancellation cancellation) {
        public Prompt {
            Objects.requireNonNull(tokenIds, "tokenIds");
            Objects.requireNonNull(decoding, "decoding");
            stop = stop == null ? List.of() : List.copyOf(stop);
            listener = listener == null ? TextListener.NONE : listener;
            cancellation = cancellation == null ? Cancellation.none() : cancellation;
        }
    }

    /** Why a prompt's generation ended. */
    enum StopReason {
        /** The model produced an end-of-sequence token. */
        EOS,
        /** A stop string appeared; the text is cut before it. */
        STOP_STRING,
        /** {@code maxNewTokens} were generated. */
        MAX_TOKENS,
        /** The prompt's cancellation was set. */
        CANCELLED;

        /** OpenAI's {@code finish_reason}: {@code length} at the token limit, {@code stop} otherwise. */
        public String finishReason() {
            return this == MAX_TOKENS ? "length" : "stop";
        }
    }

    /**
     * One prompt's result.
     *
     * @param text             the generated text (special tokens skipped, cut before a stop string)
     * @param promptTokens     tokens in the prompt
     * @param completionTokens tokens generated, an end-of-sequence token included
     * @param stopReason       why it ended
     */
    record Generation(String text, int promptTokens, int completionTokens, StopReason stopReason) {
        public Generation {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(stopReason, "stopReason");
        }
    }
}
