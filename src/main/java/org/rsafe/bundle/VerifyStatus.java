package org.rsafe.bundle;

/**
 * The outcome of checking a bundle, with the exit code {@code rsafe bundle verify} and {@code rsafe bundle import}
 * give for it. Listed from best to worst; a bundle with several faults gets the worst.
 */
public enum VerifyStatus {
    /** Every hash and the signature check out (and the key is trusted, when trust was required). */
    OK(0),
    /** Intact and signed, but by a key that is neither trusted nor the user's own. */
    UNTRUSTED(13),
    /** No signature or no public key: nothing says who made it. */
    UNSIGNED(11),
    /** A file's hash, the file list, or the signature does not match: the bundle was changed after signing. */
    TAMPERED(10),
    /** Not a readable bundle: not a zip, an unsafe archive, no manifest, an unknown format version. */
    MALFORMED(12);

    private final int exitCode;

    VerifyStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The worse of two outcomes. */
    public VerifyStatus worst(VerifyStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
