package org.rsafe.app;

import org.rsafe.engine.DecodingSettings;

/** The decoding presets offered for a generating engine, with their CLI names ({@code --preset paper|greedy}). */
public enum DecodingPreset {
    /** RSafe's evaluation sampling: temperature 0.7, top-p 0.8, repetition penalty 1.05 (seeded per request). */
    PAPER("Paper sampling (T 0.7, top-p 0.8)", "paper sampling", DecodingSettings.PAPER),
    /** Always picks the most likely token: the same input gives the same output. */
    GREEDY("Greedy (reproducible)", "greedy", DecodingSettings.GREEDY);

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
        return DecodingSettings.preset(name).greedy() ? GREEDY : PAPER;
    }

    /** The engine-level decoding settings of this preset. */
    public DecodingSettings settings() {
        return this == GREEDY ? DecodingSettings.greedyPreset() : DecodingSettings.paper();
    }

    @Override
    public String toString() {
        return label;
    }
}
