package org.rsafe.ui.versions;

import java.nio.file.Path;
import java.util.Objects;
import org.rsafe.workspace.PolicyVersion;

/**
 * One side of a comparison: a policy file as it is on disk ({@code version} null) or one saved version of it.
 *
 * @param file    the policy file
 * @param version the saved version to read, or null for the file's current text on disk
 */
public record CompareSide(Path file, PolicyVersion version) {
    public CompareSide {
        Objects.requireNonNull(file, "file");
    }

    public static CompareSide current(Path file) {
        return new CompareSide(file, null);
    }

    public static CompareSide saved(Path file, PolicyVersion version) {
        return new CompareSide(file, Objects.requireNonNull(version, "version"));
    }

    /** What a chooser shows: "v2 · Tighten K3" or "rsafe.yaml (current)". */
    public String label() {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return version == null ? name + " (current)" : version.label() + " · " + version.message();
    }

    @Override
    public String toString() {
        return label();
    }
}
