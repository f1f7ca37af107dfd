package org.rsafe.app;

import java.nio.file.Path;
import java.util.List;
import org.rsafe.engine.DecodingSettings;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.util.UserException;

/** The decoding presets offered for a generating engine, with their CLI names ({@code --preset paper|greedy|hf}). */
public enum DecodingPreset {
    /** RSafe's evaluation sampling: temperature 0.7, top-p 0.8, repetition penalty 1.05 (seeded per request). */
    PAPER("Paper sampling (T 0.7, top-p 0.8)", "paper sampling", DecodingSettings.PAPER),
    /** Always picks the most likely token: the same input gives the same output. */
    GREEDY("Greedy (reproducible)", "greedy", DecodingSettings.GREEDY),
    /**
     * What Hugging Face {@code generate} does for the model folder: its generation_config.json's do_sample,
     * temperature, top_k, top_p and repetition_penalty (transformers' defaults for fields it leaves out). Local
     * models only.
     */
    HF("Model's generation_config.json (hf)", "hf decoding", DecodingSettings.HF);

    private final String label;
    private final String shortName;
    private final String cliName;

    DecodingPreset(String label, String shortName, String cliName) {
        this.label = label;
        this.shortName = shortName;
        this.cliName = cliName;
    }

    /** The name used in one-line summaries ("greedy"). */
    public String shortName() {
        return shortName;
    }

    /** The name {@code --preset} takes. */
    public String cliName() {
        return cliName;
    }

    /** The preset of that CLI name (any case); a user mistake otherwise. */
    public static DecodingPreset parse(String name) {
        if (name != null && name.strip().equalsIgnoreCase(DecodingSettings.HF)) {
            return HF;
        }
        return DecodingSettings.preset(name).greedy() ? GREEDY : PAPER;
    }

    /**
     * The engine-level decoding settings of this preset; for {@link #HF}, read from the folder's
     * generation_config.json (a user mistake without a folder, as for a remote engine).
     */
    public DecodingSettings settings(Path modelDir) {
        return switch (this) {
            case GREEDY -> DecodingSettings.greedyPreset();
            case PAPER -> DecodingSettings.paper();
            case HF -> {
                if (modelDir == null) {
                    throw new UserException("the hf decoding preset reads a model folder's generation_config.json; "
                            + "choose paper or greedy for an engine without a local model");
                }
                List<Integer> noExtraEos = List.of();
                yield ModelFolder.readGenerationConfig(modelDir.resolve(ModelFolder.GENERATION_CONFIG_FILE), noExtraEos)
                        .asDecoding(DecodingSettings.DEFAULT_MAX_NEW_TOKENS, DecodingSettings.DEFAULT_SEED);
            }
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
