package org.rsafe.workspace;

import java.util.Objects;

/**
 * What saving a policy version did.
 *
 * @param version the version now current: the new one, or the latest one when nothing had changed
 * @param created false when the file was identical to its latest version, so nothing was saved
 */
public record SaveResult(PolicyVersion version, boolean created) {
    public SaveResult {
        Objects.requireNonNull(version, "version");
    }
}
