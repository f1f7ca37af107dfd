package org.rsafe.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** When PyTorch cannot start, the user reads why and what to do, not a stack trace. */
class TorchRuntimeTest {

    @Test
    void aMissingNativeLibraryIsExplainedWithTheBuildsAndTheCause() {
        // What DJL throws when the bundled library does not fit the machine (seen with the cu124 build on a
        // machine without an NVIDIA driver) and offline mode forbids the download.
        Exception e = new ai.djl.engine.EngineException("Failed to save pytorch index file",
                new IOException("Offline model is enabled."));

        String message = TorchRuntime.explain(e);

        assertThat(message).startsWith("PyTorch could not be started (Failed to save pytorch index file: "
                + "Offline model is enabled.)")
                .contains("no PyTorch native library that fits this machine")
                .contains("mvn -Pgpu-cu124").contains("PYTORCH_FLAVOR").contains("README");
    }

    @Test
    void otherCausesAreNamedWithoutTheDownloadHint() {
        String message = TorchRuntime.explain(new IllegalArgumentException("Deferred engine PyTorch not found"));

        assertThat(message).contains("Deferred engine PyTorch not found").doesNotContain("downloading one");
    }
}
