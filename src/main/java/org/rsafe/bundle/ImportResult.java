package org.rsafe.bundle;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What importing a bundle did.
 *
 * @param report     the verification done first
 * @param importedTo the folder the bundle's files were extracted into; empty when refused (see the report)
 */
public record ImportResult(VerifyReport report, Optional<Path> importedTo) {
    public ImportResult {
        Objects.requireNonNull(report, "report");
        importedTo = importedTo == null ? Optional.empty() : importedTo;
    }
}
