package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.DecodingSettings;

/**
 * The DJL decoder against an outside yardstick: the plain-numpy Qwen2 forward in {@code ../shared/tools} (written
 * from the transformers source, sharing nothing with this project). Greedy continuations must be identical. Skipped
 * where python3 with numpy or the tool is not present (it lives beside the repository, not in it).
 */
class NumpyReferenceTest {
    static final Path TOOL = Path.of("..", "shared", "tools", "qwen2_numpy_ref.py");
    static final int STEPS = 32;

    @TempDir
    static Path dir;

    @BeforeAll
    static void threads() {
        TinyTorch.singleThreaded();
    }

    /** The tool's greedy continuation and its smallest top-1/top-2 margin, or null when it cannot run here. */
    static JsonNode reference(Path model, int[] prompt) throws IOException, InterruptedException {
        String ids = Arrays.stream(prompt).mapToObj(Integer::toString).collect(Collectors.joining(","));
        List<String> cmd = new ArrayList<>(List.of("python3", TOOL.toString(), model.toString(), "--ids", ids,
                "--steps", Integer.toString(STEPS), "--json"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException noPython) {
            return null;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void greedyContinuationsEqualTheNumpyReferenceOnTiedUntiedAndGroupedModels() throws Exception {
        assumeTrue(Files.isRegularFile(TOOL), "the numpy reference is not beside the repository");
        List<Path> models = List.of(
                TinyModels.custom(dir, "sharp", RandomModelWriter.Options.defaults().withInitStd(0.2)),
                TinyModels.custom(dir, "untied", RandomModelWriter.Options.defaults().withInitStd(0.2).withTied(false)),
                TinyModels.custom(dir, "gqa", TinyModels.Kind.GQA.options().withInitStd(0.2)));
        int[][] prompts = {{1, 2, 3}, {297, 40, 41, 42, 43, 44, 45, 10, 298, 7, 296}};
        int compared = 0;
        for (Path model : models) {
            try (LocalModel local = LocalModel.open(model, null, Device.cpu(), DataType.FLOAT32)) {
                TextGenerator gen = new TextGenerator(local.model(), local.tokenizer(), List.of());
                for (int[] prompt : prompts) {
                    JsonNode ref = reference(model, prompt);
                    assumeTrue(ref != null, "python3 with numpy is not available");
                    int[] expected = new int[ref.get("generated").size()];
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] = ref.get("generated").get(i).asInt();
                    }
                    if (ref.get("min_margin").asDouble() < 1e-4) {
                        continue;   // a near-tie: float rounding may pick either token
                    }
                    int[] actual = gen.generateIds(List.of(prompt),
                            DecodingSettings.greedyPreset().withMaxNewTokens(STEPS), new long[] {1}, List.of(),
                            TextGenerator.Listener.NONE, Cancellation.none()).get(0).tokenIds();
                    assertThat(actual).as("%s, prompt %s", model.getFileName(), Arrays.toString(prompt))
                            .containsExactly(expected);
                    compared++;
                }
            }
        }
        assertThat(compared).as("runs without a near-tie").isGreaterThanOrEqualTo(4);
    }
}
