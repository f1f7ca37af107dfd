package org.rsafe.app.archprobe;

import org.rsafe.ui.bench.EngineChoice;

/** Breaks the layering on purpose (the use-case layer reaching the GUI); only ArchitectureTest reads it. */
public final class UseCaseUsingTheGui {
    public String shown() {
        return EngineChoice.CHOOSE_MODEL_FOLDER;
    }
}
