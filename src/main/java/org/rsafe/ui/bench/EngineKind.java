package org.rsafe.ui.bench;

/** The engines the test bench can pick from. */
public enum EngineKind {
    QUICK("Quick (similarity)"),
    LOCAL_LLM("Local LLM");

    private final String label;

    EngineKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
