package org.rsafe.bundle;

import java.util.List;
import java.util.Objects;

/**
 * What checking a bundle found.
 *
 * @param status      the overall outcome
 * @param problems    every fault found, one line each (empty when OK)
 * @param manifest    the manifest, when it could be read (null for a malformed bundle)
 * @param fingerprint the signing key's fingerprint (64 hex digits), when the bundle carries a key
 * @param trusted     true when that key is among the trusted keys given
 * @param ownKey      true when that key is this user's own signing key
 */
public record VerifyReport(VerifyStatus status, List<String> problems, BundleManifest manifest, String fingerprint,
                           boolean trusted, boolean ownKey) {
    public VerifyReport {
        Objects.requireNonNull(status, "status");
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return status == VerifyStatus.OK;
    }
}
