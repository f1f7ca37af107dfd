package org.rsafe.engine.llm;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rsafe.util.UserException;

/**
 * A model folder's {@code tokenizer.json} through Hugging Face's tokenizers library. Encoding adds no special
 * tokens (Qwen prepends no BOS; the chat markup is already text), never truncates and never pads; special
 * tokens written in the text ({@code <|im_start|>}) become their single ids. Decoding skips special tokens.
 * Thread-safe (the native tokenizer is).
 */
public final class LlmTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private LlmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static LlmTokenizer open(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new UserException(tokenizerJson + ": no tokenizer.json (the model folder must hold one)");
        }
        try {
            org.rsafe.util.BoundedFiles.checkSize(tokenizerJson, org.rsafe.util.BoundedFiles.TOKENIZER_BYTES,
                    "a tokenizer.json");
            // DJL truncates to 512 tokens unless told not to; RSafe prompts are longer than that.
            return new LlmTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false")));
        } catch (IOException e) {
            throw new UserException(tokenizerJson + ": cannot read tokenizer: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UserException(tokenizerJson + ": not a valid tokenizer.json: " + e.getMessage(), e);
        }
    }

    public int[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Text of the ids with special tokens left out. */
    public String decode(int[] ids, int count) {
        long[] longs = new long[count];
        for (int i = 0; i < count; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    public String decode(int[] ids) {
        return decode(ids, ids.length);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
