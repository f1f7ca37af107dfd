package org.rsafe.workspace;

/**
 * How to restore an earlier version of a policy file.
 *
 * @param saveAsNewVersion save the restored text as a new version ("Restore x.yaml to v2"), so the history shows it
 * @param discardUnsaved   overwrite the file even when it has changes that were never saved (they are lost)
 */
public record RestoreOptions(boolean saveAsNewVersion, boolean discardUnsaved) {
    /** Saves the restore as a new version and refuses to overwrite unsaved changes. */
    public static final RestoreOptions DEFAULT = new RestoreOptions(true, false);
}
