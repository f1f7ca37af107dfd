package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.util.UserException;

class DecodingPresetTest {

    @TempDir
    Path dir;

    @Test
    void theHfPresetReadsTheFoldersGenerationConfig() throws Exception {
        // Qwen2.5-Instruct's published generation_config.json values.
        Files.writeString(dir.resolve("generation_config.json"), """
                {"bos_token_id": 151643, "do_sample": true, "eos_token_id": [151645, 151643], "pad_token_id": 151643,
                 "repetition_penalty": 1.05, "temperature": 0.7, "top_k": 20, "top_p": 0.8}
                """);

        DecodingSettings s = DecodingPreset.parse("HF").settings(dir);

        assertThat(s.preset()).isEqualTo("hf");
        assertThat(s.greedy()).isFalse();
        assertThat(s.temperature()).isEqualTo(0.7);
        assertThat(s.topK()).isEqualTo(20);
        assertThat(s.topP()).isEqualTo(0.8);
        assertThat(s.repetitionPenalty()).isEqualTo(1.05);
        assertThat(s.maxNewTokens()).isEqualTo(DecodingSettings.DEFAULT_MAX_NEW_TOKENS);
    }

    @Test
    void withoutDoSampleHfDecodesGreedilyWithTheFilesRepetitionPenalty() throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), "{\"repetition_penalty\": 1.1}");

        DecodingSettings s = DecodingPreset.HF.settings(dir);

        assertThat(s.greedy()).isTrue();
        assertThat(s.repetitionPenalty()).isEqualTo(1.1);
    }

    @Test
    void aFolderWithoutTheFileGetsTransformersDefaults() {
        DecodingSettings s = DecodingPreset.HF.settings(dir);

        assertThat(s.greedy()).isTrue();
        assertThat(s.topK()).isEqualTo(50);
        assertThat(s.repetitionPenalty()).isEqualTo(1.0);
    }

    @Test
    void hfWithoutALocalModelIsAUserMistake() {
        assertThatThrownBy(() -> DecodingPreset.HF.settings(null)).isInstanceOf(UserException.class)
                .hasMessageContaining("generation_config.json");
        assertThatThrownBy(() -> DecodingPreset.parse("sampled")).isInstanceOf(UserException.class)
                .hasMessageContaining("paper, greedy or hf");
    }

    @Test
    void theAdapterNamesTheBaseModelByItsOwnNameNotThisMachinesPath() throws Exception {
        Path model = Files.createDirectories(dir.resolve("Qwen2.5-0.5B-Instruct"));
        assertThat(ModelFolder.ownName(model)).isEqualTo("Qwen2.5-0.5B-Instruct");

        Files.writeString(model.resolve("config.json"), "{\"_name_or_path\": \"Qwen/Qwen2.5-0.5B-Instruct\"}");
        assertThat(ModelFolder.ownName(model)).isEqualTo("Qwen/Qwen2.5-0.5B-Instruct");

        Files.writeString(model.resolve("config.json"), "{\"_name_or_path\": \"/home/someone/models/q\"}");
        assertThat(ModelFolder.ownName(model)).isEqualTo("Qwen2.5-0.5B-Instruct");

        Files.writeString(model.resolve("config.json"), "{\"_name_or_path\": \"C:\\\\models\\\\q\"}");
        assertThat(ModelFolder.ownName(model)).isEqualTo("Qwen2.5-0.5B-Instruct");
    }
}
