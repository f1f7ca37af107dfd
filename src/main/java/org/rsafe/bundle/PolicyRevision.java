package org.rsafe.bundle;

import java.util.Objects;

/**
 * The saved version a policy file corresponds to, for the manifest.
 *
 * @param commitId       the revision id of the latest saved version
 * @param label          its name, e.g. {@code v3}
 * @param unsavedChanges true when the file differs from that version (the bundle then holds unsaved text)
 */
public record PolicyRevision(String commitId, String label, boolean unsavedChanges) {
    public PolicyRevision {
        Objects.requireNonNull(commitId, "commitId");
        Objects.requireNonNull(label, "label");
    }
}
