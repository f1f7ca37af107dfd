package org.rsafe.bundle;

/**
 * Thrown by {@link SafeZip} for an archive it refuses to read: not a zip, damaged, or crafted to escape the target
 * folder or to exhaust resources. The message says which entry and why, for the user.
 */
public final class UnsafeArchiveException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsafeArchiveException(String message) {
        super(message);
    }
}
