package org.rsafe.ui.bench;

/** Decoding settings offered for the local LLM engine. */
public enum DecodingPreset {
    /** Always picks the most likely token: the same input gives the same output. */
    GREEDY("Greedy (reproducible)"),
    /** RSafe's evaluation sampling: temperature 0.7, top-p 0.8, repetition penalty 1.05. */
    PAPER("Paper sampling (T 0.7, top-p 0.8)");

    private final String label;

    DecodingPreset(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
