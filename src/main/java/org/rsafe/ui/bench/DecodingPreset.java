package org.rsafe.ui.bench;

/** Decoding settings offered for the local LLM engine. */
public enum DecodingPreset {
    /** Always picks the most likely token: the same input gives the same output. */
    GREEDY("Greedy (reproducible)", "greedy"),
    /** RSafe's evaluation sampling: temperature 0.7, top-p 0.8, repetition penalty 1.05. */
    PAPER("Paper sampling (T 0.7, top-p 0.8)", "paper sampling");

    private final String label;
    private final String shortName;

    DecodingPreset(String label, String shortName) {
        this.label = label;
        this.shortName = shortName;
    }

    /** The name used in one-line summaries ("greedy"). */
    public String shortName() {
        return shortName;
    }

    @Override
    public String toString() {
        return label;
    }
}
