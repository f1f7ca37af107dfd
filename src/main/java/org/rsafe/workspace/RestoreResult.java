package org.rsafe.workspace;

import java.util.Objects;
import java.util.Optional;

/**
 * What restoring a version did.
 *
 * @param restored   the version whose text the file now holds
 * @param newVersion the version saved for the restore; empty when not asked for, or when the file's latest version
 *                   already had that text
 */
public record RestoreResult(PolicyVersion restored, Optional<PolicyVersion> newVersion) {
    public RestoreResult {
        Objects.requireNonNull(restored, "restored");
        newVersion = newVersion == null ? Optional.empty() : newVersion;
    }
}
