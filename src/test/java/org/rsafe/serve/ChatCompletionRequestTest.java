package org.rsafe.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.prompt.ChatTemplate;

/** How a chat-completion body becomes the model's input and decoding settings, and which bodies are refused. */
class ChatCompletionRequestTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ChatCompletionRequest read(String json) throws Exception {
        return ChatCompletionRequest.from(JSON.readTree(json), 512, 1024);
    }

    @Test
    void temperatureZeroIsGreedyWithNeutralSampling() throws Exception {
        ChatCompletionRequest r = read("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0,"
                + "\"max_tokens\":7}");

        assertThat(r.decoding()).isEqualTo(DecodingSettings.greedyPreset().withMaxNewTokens(7));
        assertThat(r.stream()).isFalse();
    }

    @Test
    void everySamplingFieldIsTakenAndTopKMinusOneMeansOff() throws Exception {
        ChatCompletionRequest r = read("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.7,"
                + "\"top_p\":0.8,\"top_k\":-1,\"repetition_penalty\":1.05,\"max_completion_tokens\":9,\"seed\":3,"
                + "\"stop\":[\"</answer>\"],\"stream\":true}");

        DecodingSettings d = r.decoding();
        assertThat(d.greedy()).isFalse();
        assertThat(d.temperature()).isEqualTo(0.7);
        assertThat(d.topP()).isEqualTo(0.8);
        assertThat(d.topK()).isZero();
        assertThat(d.repetitionPenalty()).isEqualTo(1.05);
        assertThat(d.maxNewTokens()).isEqualTo(9);
        assertThat(d.seed()).isEqualTo(3);
        assertThat(r.stop()).containsExactly("</answer>");
        assertThat(r.stream()).isTrue();
    }

    @Test
    void absentFieldsTakeOpenAisDefaultsAndTheServersMaxTokens() throws Exception {
        DecodingSettings d = read("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").decoding();

        assertThat(d.temperature()).isEqualTo(1.0);
        assertThat(d.topP()).isEqualTo(1.0);
        assertThat(d.repetitionPenalty()).isEqualTo(1.0);
        assertThat(d.maxNewTokens()).isEqualTo(512);
        assertThat(d.seed()).isEqualTo(DecodingSettings.DEFAULT_SEED);
    }

    @Test
    void textPartsAreJoinedAndTheConversationGetsQwensChatFormat() throws Exception {
        ChatCompletionRequest r = read("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Is this \"},{\"type\":\"text\",\"text\":\"safe?\"}]}]}");

        assertThat(r.turns()).containsExactly(new ChatTemplate.Turn("user", "Is this safe?"));
        assertThat(r.modelInput()).isEqualTo(ChatTemplate.wrapQwen("Is this safe?"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"messages":[{"role":"user","content":"hi"}],"max_tokens":1025}     | max_tokens
            {"messages":[{"role":"user","content":"hi"}],"max_tokens":0}        | max_tokens
            {"messages":[{"role":"user","content":"hi"}],"temperature":2.5}     | temperature
            {"messages":[{"role":"user","content":"hi"}],"top_p":0}             | top_p
            {"messages":[{"role":"user","content":"hi"}],"stop":[1]}            | stop
            {"messages":[{"role":"tool","content":"hi"}]}                       | messages
            {"messages":[{"role":"user","content":[{"type":"image_url"}]}]}     | messages
            {"messages":[{"role":"user","content":"hi"}],"model":7}             | model
            {"messages":"hi"}                                                   | messages
            """)
    void aFieldOutOfRangeIsRefusedNamingIt(String body, String param) {
        assertThatThrownBy(() -> read(body)).isInstanceOf(ChatCompletionRequest.Invalid.class)
                .satisfies(e -> assertThat(((ChatCompletionRequest.Invalid) e).param).isEqualTo(param));
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> read("[1, 2]")).isInstanceOf(ChatCompletionRequest.Invalid.class);
    }
}
