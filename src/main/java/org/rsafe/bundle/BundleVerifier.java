package org.rsafe.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * Checks a bundle: that it is a safe, well-formed archive of a known format version; that the signature in it
 * matches the manifest's exact bytes under the public key in it; that every file the manifest lists is there with
 * the listed SHA-256 and size, and no other file is; and, when trusted keys are given, that the signing key is one of
 * them. See {@link VerifyStatus} for the outcomes.
 *
 * <p>The signature is checked before the manifest is parsed, so a changed manifest is reported as tampered rather
 * than as unreadable; the signature and key files are parsed strictly, so no byte of them can change unnoticed.
 */
public final class BundleVerifier {

    private final ZipLimits limits;
    private final PublicKey ownKey;

    /** A verifier with default limits that recognises this user's key when one exists (it never creates one). */
    public BundleVerifier() {
        this(ZipLimits.DEFAULT, SigningKeys.existingPublicKey(SigningKeys.configDir()).orElse(null));
    }

    /** @param ownKeyOrNull the user's own public key, to say "signed by you"; null when unknown */
    public BundleVerifier(ZipLimits limits, PublicKey ownKeyOrNull) {
        this.limits = limits;
        this.ownKey = ownKeyOrNull;
    }

    /** A checked bundle: the report, and the entries by name when the archive could be read. */
    record Checked(VerifyReport report, Map<String, SafeZip.Entry> entries) { }

    /**
     * Checks a bundle file.
     *
     * @param trusted fingerprints (64 lower-case hex digits, see {@link SigningKeys#normalizeFingerprint}) of the
     *                keys to trust; empty to check integrity only
     */
    public VerifyReport verify(Path bundle, Set<String> trusted) {
        return check(bundle, trusted).report();
    }

    /**
     * Checks a bundle file against a list of trusted keys.
     *
     * @param requireTrusted when true, a signer neither in {@code trusted} nor the user's own makes it
     *                       {@link VerifyStatus#UNTRUSTED}; when false only integrity is checked
     */
    public VerifyReport verify(Path bundle, Set<String> trusted, boolean requireTrusted) {
        return check(bundle, trusted, requireTrusted).report();
    }

    /** Checks a bundle held in memory. */
    public VerifyReport verify(byte[] archive, Set<String> trusted) {
        return check(archive, trusted).report();
    }

    Checked check(Path bundle, Set<String> trusted) {
        return check(bundle, trusted, !trusted.isEmpty());
    }

    Checked check(Path bundle, Set<String> trusted, boolean requireTrusted) {
        long size;
        try {
            size = Files.size(bundle);
        } catch (NoSuchFileException e) {
            throw new UserException(bundle + ": no such file");
        } catch (IOException e) {
            throw new UserException("cannot read " + bundle + ": " + e.getMessage(), e);
        }
        if (Files.isDirectory(bundle)) {
            throw new UserException(bundle + ": a folder, not a bundle file");
        }
        if (size > limits.maxArchiveBytes()) {
            return malformed("the archive is " + size + " bytes; at most " + limits.maxArchiveBytes() + " are accepted");
        }
        try {
            return check(Files.readAllBytes(bundle), trusted, requireTrusted);
        } catch (IOException e) {
            throw new UserException("cannot read " + bundle + ": " + e.getMessage(), e);
        }
    }

    Checked check(byte[] archive, Set<String> trusted) {
        return check(archive, trusted, !trusted.isEmpty());
    }

    Checked check(byte[] archive, Set<String> trusted, boolean requireTrusted) {
        Map<String, SafeZip.Entry> entries = new LinkedHashMap<>();
        try {
            for (SafeZip.Entry e : SafeZip.read(archive, limits)) {
                entries.put(e.name(), e);
            }
        } catch (UnsafeArchiveException e) {
            return malformed(e.getMessage());
        }
        SafeZip.Entry manifestEntry = entries.get(BundleFormat.MANIFEST);
        if (manifestEntry == null) {
            return malformed("no " + BundleFormat.MANIFEST + ": not an RSafe bundle");
        }
        byte[] manifestBytes = manifestEntry.dataUnsafe();
        List<String> problems = new ArrayList<>();
        VerifyStatus status = VerifyStatus.OK;

        // 1. The signature, over the manifest's exact bytes, before anything trusts the manifest's content.
        PublicKey key = null;
        String fingerprint = null;
        SafeZip.Entry keyEntry = entries.get(BundleFormat.PUBLIC_KEY);
        SafeZip.Entry sigEntry = entries.get(BundleFormat.SIGNATURE);
        if (keyEntry == null || sigEntry == null) {
            status = status.worst(VerifyStatus.UNSIGNED);
            problems.add("unsigned: " + (keyEntry == null ? BundleFormat.PUBLIC_KEY : BundleFormat.SIGNATURE)
                    + " is missing");
        } else {
            try {
                key = SigningKeys.parsePublicKeyPem(new String(keyEntry.dataUnsafe(), StandardCharsets.US_ASCII));
                fingerprint = SigningKeys.fingerprint(key);
            } catch (IllegalArgumentException e) {
                status = status.worst(VerifyStatus.TAMPERED);
                problems.add(BundleFormat.PUBLIC_KEY + " is damaged (" + e.getMessage() + ")");
            }
            byte[] signature = parseSignature(sigEntry.dataUnsafe());
            if (signature == null) {
                status = status.worst(VerifyStatus.TAMPERED);
                problems.add(BundleFormat.SIGNATURE + " is damaged (not one Base64 line)");
            } else if (key != null && !SigningKeys.verify(key, manifestBytes, signature)) {
                status = status.worst(VerifyStatus.TAMPERED);
                problems.add("the signature does not match " + BundleFormat.MANIFEST
                        + ": the manifest or the signature was changed after signing");
            }
        }

        // 2. The manifest itself.
        BundleManifest manifest;
        try {
            com.fasterxml.jackson.databind.JsonNode tree = org.rsafe.trace.JudgementJson.mapper().readTree(manifestBytes);
            if (tree != null && tree.isObject()) {
                int version = BundleManifest.declaredVersion(tree);
                if (version != BundleFormat.VERSION && status != VerifyStatus.TAMPERED) {
                    return new Checked(new VerifyReport(VerifyStatus.MALFORMED, List.of("unknown bundle format version "
                            + (version < 0 ? "(none)" : Integer.toString(version)) + "; this tool reads version "
                            + BundleFormat.VERSION), null, fingerprint, false, false), entries);
                }
            }
            manifest = BundleManifest.parse(manifestBytes);
        } catch (IOException | IllegalArgumentException e) {
            if (status == VerifyStatus.TAMPERED) {
                return new Checked(new VerifyReport(status, problems, null, fingerprint, false, false), entries);
            }
            return malformed(BundleFormat.MANIFEST + " cannot be read: " + firstLine(e.getMessage()));
        }
        if (manifest.formatVersion() != BundleFormat.VERSION) {
            // only reached when the signature failed too: the version may be part of what was changed
            problems.add("unknown bundle format version " + manifest.formatVersion());
        }
        if (key != null && manifest.signer() != null
                && !Base64.getEncoder().encodeToString(key.getEncoded()).equals(manifest.signer().publicKey())) {
            status = status.worst(VerifyStatus.TAMPERED);
            problems.add("the manifest names another signing key than " + BundleFormat.PUBLIC_KEY);
        }

        // 3. Every file against the manifest's list, both ways.
        for (Map.Entry<String, BundleManifest.FileInfo> f : manifest.files().entrySet()) {
            SafeZip.Entry e = entries.get(f.getKey());
            BundleManifest.FileInfo info = f.getValue();
            if (e == null && f.getKey().equals(BundleFormat.PUBLIC_KEY) && keyEntry == null) {
                // Already reported as unsigned: a missing key means no signature can be checked (exit 11), and
                // calling that tampering as well would hide it behind exit 10.
                continue;
            }
            if (e == null || e.directory()) {
                status = status.worst(VerifyStatus.TAMPERED);
                problems.add(f.getKey() + ": listed in the manifest but missing");
            } else if (info == null || e.dataUnsafe().length != info.size()
                    || !Hashing.sha256(e.dataUnsafe()).equals(info.sha256())) {
                status = status.worst(VerifyStatus.TAMPERED);
                problems.add(f.getKey() + ": SHA-256 does not match the manifest (the file was changed)");
            }
        }
        for (SafeZip.Entry e : entries.values()) {
            if (!BundleFormat.UNLISTED.contains(e.name()) && !manifest.files().containsKey(e.name())) {
                status = status.worst(VerifyStatus.TAMPERED);
                problems.add(e.name() + ": not listed in the manifest (added after signing)");
            }
        }
        // The archive's own bytes: only the layout the exporter writes for these files at the signed time is accepted.
        if (status != VerifyStatus.TAMPERED && !canonical(archive, entries, manifest)) {
            status = status.worst(VerifyStatus.TAMPERED);
            problems.add("the archive's bytes differ from the layout the exporter writes for its files (headers, "
                    + "times, compression or data outside the files were changed, or data was added)");
        }

        // 4. Trust.
        boolean isTrusted = fingerprint != null && trusted.contains(fingerprint);
        boolean isOwn = key != null && ownKey != null && Arrays.equals(ownKey.getEncoded(), key.getEncoded());
        if (fingerprint != null && requireTrusted && !isTrusted && !isOwn) {
            status = status.worst(VerifyStatus.UNTRUSTED);
            problems.add("signed by key " + SigningKeys.formatFingerprint(fingerprint)
                    + ", which is not among the trusted keys");
        }
        return new Checked(new VerifyReport(status, problems, manifest, fingerprint, isTrusted, isOwn), entries);
    }

    private static boolean canonical(byte[] archive, Map<String, SafeZip.Entry> entries, BundleManifest manifest) {
        java.time.Instant when;
        try {
            when = java.time.Instant.parse(manifest.created());
        } catch (RuntimeException e) {
            return false;
        }
        List<Map.Entry<String, byte[]>> files = new ArrayList<>();
        for (SafeZip.Entry e : entries.values()) {
            files.add(Map.entry(e.name(), e.dataUnsafe()));
        }
        return CanonicalArchive.isCanonical(archive, files, when);
    }

    /** The signature bytes when the file is exactly one canonical Base64 line (so no byte can change unnoticed). */
    static byte[] parseSignature(byte[] file) {
        String text = new String(file, StandardCharsets.US_ASCII);
        if (!text.endsWith("\n")) {
            return null;
        }
        String body = text.substring(0, text.length() - 1);
        try {
            byte[] sig = Base64.getDecoder().decode(body);
            if (!(Base64.getEncoder().encodeToString(sig) + "\n").equals(text)
                    || !Arrays.equals(file, text.getBytes(StandardCharsets.US_ASCII))) {
                return null;
            }
            return sig;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Checked malformed(String why) {
        return new Checked(new VerifyReport(VerifyStatus.MALFORMED, List.of(why), null, null, false, false), Map.of());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
