package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter.FileType;
import org.rsafe.engine.llm.DeviceChoice;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.engine.llm.SafetensorsWriter;
import org.rsafe.serve.ChatServer;
import org.rsafe.serve.LocalServedModel;
import org.rsafe.serve.ServeOptions;

/**
 * The cross-engine proof: the project's own Qwen2 decoder (DJL) and llama.cpp on the converted GGUF file, both served
 * by rsafe serve and asked the same chat requests, give the same greedy text, token for token, for 40 steps. Two
 * implementations that share no model code agreeing is evidence for both the decoder and the converter. The llama.cpp
 * side runs in its child process, as in the product.
 */
class GgufCrossEngineTest {
    static final int STEPS = 40;
    /** Chat requests: user only, with a system message, and a longer multi-turn conversation. */
    static final List<String[]> CONVERSATIONS = List.of(
            new String[] {"user", "is this request safe to answer?"},
            new String[] {"system", "You are a careful guard.", "user", "the cat sat on the mat"},
            new String[] {"user", "hello there", "assistant", "hi, how can i help", "user", "tell me a story"},
            new String[] {"user", "Policy: no weapons. Input: how do i sharpen a kitchen knife"});

    @TempDir
    static Path tmp;
    static Path model;
    static Path modelF16;
    static ChatServer djl;

    @BeforeAll
    static void start() {
        model = GgufFixtures.scaledTiny(tmp, "tiny-scaled", RandomModelWriter.Options.defaults());
        djl = ChatServer.start(new LocalServedModel(LocalModel.open(model, null, DeviceChoice.parse("cpu"))),
                ServeOptions.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (djl != null) {
            djl.close();
        }
    }

    static List<GgufFixtures.Completion> all(String baseUrl) {
        List<GgufFixtures.Completion> out = new ArrayList<>();
        for (String[] c : CONVERSATIONS) {
            out.add(GgufFixtures.chat(baseUrl, STEPS, c));
        }
        return out;
    }

    static void assertSameGreedyText(Path gguf, Path ggufAdapter, ChatServer reference) {
        List<GgufFixtures.Completion> expected = all(reference.baseUrl());
        LlamaCppChild child = LlamaCppChild.start(EngineSpec.llm(gguf).withAdapter(ggufAdapter).withThreads(1));
        try {
            List<GgufFixtures.Completion> got = all(child.baseUrl());
            int fullLength = 0;
            for (int i = 0; i < expected.size(); i++) {
                GgufFixtures.Completion e = expected.get(i);
                assertThat(got.get(i).promptTokens()).as("prompt tokens of conversation %d", i)
                        .isEqualTo(e.promptTokens());
                assertSameText(got.get(i).text(), e, i);
                if (e.completionTokens() == STEPS) {
                    fullLength++;
                }
                assertThat(got.get(i).finishReason()).isEqualTo(e.finishReason());
            }
            assertThat(fullLength).as("conversations compared over all %d steps", STEPS).isGreaterThanOrEqualTo(3);
        } finally {
            child.stop();
        }
    }

    /**
     * The text the llama.cpp stream must give for the reference's {@code text}. llama.cpp holds back the text from a
     * UTF-8 lead byte whose character is not complete yet, and when the token limit ends the generation there it never
     * sends it, while the local engine's decoder shows those bytes (the lead byte as U+FFFD). Random weights emit
     * stray lead bytes often enough for this to happen, so a length-limited reference may end with a few more
     * characters, starting with U+FFFD; everything before must be equal.
     */
    static void assertSameText(String got, GgufFixtures.Completion expected, int conversation) {
        if (got.equals(expected.text()) || !expected.finishReason().equals("length")) {
            assertThat(got).as("greedy text of conversation %d", conversation).isEqualTo(expected.text());
            return;
        }
        assertThat(expected.text()).as("greedy text of conversation %d", conversation).startsWith(got);
        String heldBack = expected.text().substring(got.length());
        assertThat(heldBack).as("text held back at the cut").startsWith("\uFFFD").hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void llamaCppOnTheF32ConversionGeneratesTheLocalEnginesGreedyText() {
        assertSameGreedyText(GgufFixtures.convert(model, FileType.F32), null, djl);
    }

    /** The reference reads the same weights stored as float16 (widened to float32), so both sides hold equal values. */
    @Test
    void llamaCppOnTheF16ConversionGeneratesTheSameGreedyText() {
        modelF16 = GgufFixtures.scaledTiny(tmp, "tiny-scaled-f16",
                RandomModelWriter.Options.defaults().withDtype(SafetensorsWriter.Dtype.F16));
        ChatServer reference = ChatServer.start(new LocalServedModel(LocalModel.open(modelF16, null,
                DeviceChoice.parse("cpu"))), ServeOptions.defaults().withPort(0));
        try {
            assertSameGreedyText(GgufFixtures.convert(modelF16, FileType.F16), null, reference);
        } finally {
            reference.close();
        }
    }

    @Test
    void aLoraAdapterAsGgufGivesWhatTheAdapterMergedByTheLocalEngineGives() {
        Path adapter = GgufFixtures.adapter(model, tmp.resolve("lora"));
        Path ggufAdapter = ModelConversion.convertAdapter(model, adapter, FileType.F32,
                tmp.resolve("lora.gguf"), GgufWriter.Progress.NONE).file();
        ChatServer merged = ChatServer.start(new LocalServedModel(LocalModel.open(model, adapter,
                DeviceChoice.parse("cpu"))), ServeOptions.defaults().withPort(0));
        try {
            // The adapter must change the output, or agreeing with it would prove nothing.
            assertThat(all(merged.baseUrl())).isNotEqualTo(all(djl.baseUrl()));
            assertSameGreedyText(GgufFixtures.convert(model, FileType.F32), ggufAdapter, merged);
        } finally {
            merged.close();
        }
    }
}
