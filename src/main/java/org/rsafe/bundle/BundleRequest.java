package org.rsafe.bundle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to put in a bundle.
 *
 * @param policyFile  the policy file, bundled byte for byte
 * @param runDir      a finished evaluation of exactly that policy text (a batch run's folder: run.json,
 *                    results.jsonl, report.json, report.md)
 * @param gates       the gates the evaluation must pass
 * @param revision    the saved version of the policy file; null when it is not in a workspace
 * @param toolVersion the version of the tool making the bundle
 */
public record BundleRequest(Path policyFile, Path runDir, ExportGates gates, PolicyRevision revision,
                            String toolVersion) {
    public BundleRequest {
        Objects.requireNonNull(policyFile, "policyFile");
        Objects.requireNonNull(runDir, "runDir");
        gates = gates == null ? ExportGates.NONE : gates;
        toolVersion = toolVersion == null || toolVersion.isBlank() ? "dev" : toolVersion;
    }
}
