package org.rsafe.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint checkpoint(int step) {
        List<PeftAdapterWriter.Module> modules = List.of(
                new PeftAdapterWriter.Module("model.layers.1.mlp.up_proj", 3, 5, seq(2 * 3, step), seq(5 * 2, step + 1)),
                new PeftAdapterWriter.Module("model.layers.0.self_attn.q_proj", 3, 4, seq(2 * 3, step + 2), seq(4 * 2, step + 3)));
        List<float[]> m = new ArrayList<>();
        List<float[]> v = new ArrayList<>();
        for (PeftAdapterWriter.Module mod : modules) {
            m.add(seq(mod.a().length, 10 + step));
            m.add(seq(mod.b().length, 20 + step));
            v.add(seq(mod.a().length, 30 + step));
            v.add(seq(mod.b().length, 40 + step));
        }
        Checkpoint.State s = new Checkpoint.State(step, 1, 6, new Xoshiro256(step).state(), "cfg", "data", "model", "base");
        return new Checkpoint(s, new PeftAdapterWriter.Spec(2, 4, 0.0, List.of("q_proj", "up_proj")), modules,
                new AdamW.State(m, v, step));
    }

    private static float[] seq(int n, int offset) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = offset + i * 0.25f;
        }
        return x;
    }

    @Test
    void aSavedCheckpointLoadsBackWithEveryValueAndTheParameterOrder() throws IOException {
        Checkpoint c = checkpoint(3);

        Path saved = c.save(dir);
        Checkpoint back = Checkpoint.load(saved);

        assertThat(saved.getFileName().toString()).isEqualTo("checkpoint-000003");
        assertThat(back.state().step()).isEqualTo(3);
        assertThat(back.state().epoch()).isEqualTo(1);
        assertThat(back.state().cursor()).isEqualTo(6);
        assertThat(back.state().rng()).containsExactly(new Xoshiro256(3).state());
        assertThat(back.modules()).extracting(PeftAdapterWriter.Module::module)
                .containsExactly("model.layers.1.mlp.up_proj", "model.layers.0.self_attn.q_proj");
        for (int i = 0; i < 2; i++) {
            assertThat(back.modules().get(i).a()).containsExactly(c.modules().get(i).a());
            assertThat(back.modules().get(i).b()).containsExactly(c.modules().get(i).b());
        }
        for (int i = 0; i < 4; i++) {
            assertThat(back.optimizer().m().get(i)).containsExactly(c.optimizer().m().get(i));
            assertThat(back.optimizer().v().get(i)).containsExactly(c.optimizer().v().get(i));
        }
        assertThat(back.optimizer().step()).isEqualTo(3);
        assertThat(back.spec()).isEqualTo(c.spec());
    }

    @Test
    void latestIsTheHighestCompleteCheckpointAndIgnoresUnfinishedOnes() throws IOException {
        checkpoint(2).save(dir);
        checkpoint(10).save(dir);
        Path unfinished = Files.createDirectories(dir.resolve(Checkpoint.DIR).resolve("checkpoint-000011"));
        Files.writeString(unfinished.resolve("adapter_config.json"), "{}");
        Files.createDirectories(dir.resolve(Checkpoint.DIR).resolve(".checkpoint-000012.123"));

        assertThat(Checkpoint.latest(dir)).hasValueSatisfying(p ->
                assertThat(p.getFileName().toString()).isEqualTo("checkpoint-000010"));
        assertThat(Checkpoint.latest(dir.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void resumingRefusesADifferentConfigDataOrModelAndSaysWhich() {
        Checkpoint c = checkpoint(1);

        c.checkMatches("cfg", "data", "model", dir);
        assertThatThrownBy(() -> c.checkMatches("other", "data", "other-model", dir))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("GRPO settings differ")
                .hasMessageContaining("base model differs")
                .hasMessageNotContaining("data file differs");
    }

    @Test
    void theCheckpointFolderIsALoadablePeftAdapter() throws IOException {
        Path saved = checkpoint(4).save(dir);

        assertThat(saved.resolve("adapter_config.json")).exists();
        assertThat(saved.resolve("adapter_model.safetensors")).exists();
        assertThat(saved.resolve(Checkpoint.OPTIMIZER_FILE)).exists();
    }
}
