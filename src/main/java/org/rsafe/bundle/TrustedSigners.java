package org.rsafe.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.BoundedFiles;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.StrictUtf8;
import org.rsafe.util.UserException;

/**
 * The user's list of trusted bundle signers: {@code CONFIG/trusted-signers.txt} (CONFIG as for the signing key, see
 * {@link SigningKeys#configDir()}), one signer a line as {@code FINGERPRINT NAME}, {@code #} starting a comment. A bundle
 * signed by a key not in it (and not the user's own) verifies as {@link VerifyStatus#UNTRUSTED}.
 */
public final class TrustedSigners {
    public static final String FILE_NAME = "trusted-signers.txt";
    /** Longest signer name. */
    static final int MAX_NAME = 200;
    /** A list of trusted people is short; this cap only keeps a damaged file from filling the heap. */
    private static final long MAX_FILE_BYTES = 1L << 20;

    /** One trusted key. */
    public record Signer(String fingerprint, String name) { }

    private final Path file;
    private final Map<String, Signer> byFingerprint;

    private TrustedSigners(Path file, Map<String, Signer> byFingerprint) {
        this.file = file;
        this.byFingerprint = byFingerprint;
    }

    /** The list in {@code configDir}; empty when the file does not exist. */
    public static TrustedSigners load(Path configDir) {
        Path file = configDir.resolve(FILE_NAME);
        Map<String, Signer> signers = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return new TrustedSigners(file, signers);
        }
        String text;
        try {
            text = StrictUtf8.decode(file.toString(), BoundedFiles.readAllBytes(file, MAX_FILE_BYTES,
                    "a list of trusted signers"));
        } catch (IOException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] parts = t.split("\\s+", 2);
            String fingerprint;
            try {
                fingerprint = SigningKeys.normalizeFingerprint(parts[0]);
            } catch (UserException e) {
                throw new UserException(List.of(Diagnostic.error(file.toString(), new SourcePos(lineNo, 1), "trust",
                        "not a key fingerprint: " + e.getMessage())));
            }
            signers.put(fingerprint, new Signer(fingerprint, parts.length > 1 ? parts[1].strip() : ""));
        }
        return new TrustedSigners(file, signers);
    }

    public Path file() {
        return file;
    }

    public List<Signer> signers() {
        return List.copyOf(byFingerprint.values());
    }

    public boolean trusts(String fingerprint) {
        return fingerprint != null && byFingerprint.containsKey(fingerprint);
    }

    public Optional<Signer> signer(String fingerprint) {
        return Optional.ofNullable(fingerprint == null ? null : byFingerprint.get(fingerprint));
    }

    /** The fingerprints, for {@link BundleVerifier}. */
    public java.util.Set<String> fingerprints() {
        return java.util.Set.copyOf(byFingerprint.keySet());
    }

    /**
     * Adds (or renames) a signer and saves the list.
     *
     * @param keyOrFingerprint a fingerprint as typed, or a public-key PEM file (such as a bundle's public-key.pem)
     * @return the signer added
     */
    public Signer add(String keyOrFingerprint, String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UserException("the signer's name must be 1 to " + MAX_NAME + " characters on one line");
        }
        Signer s = new Signer(fingerprintOf(keyOrFingerprint), n);
        byFingerprint.put(s.fingerprint(), s);
        save();
        return s;
    }

    /** Removes the signer with this fingerprint or name; the removed one, if any. */
    public Optional<Signer> remove(String fingerprintOrName) {
        Signer found = byFingerprint.values().stream().filter(s -> s.name().equals(fingerprintOrName)).findFirst()
                .orElse(null);
        if (found == null) {
            try {
                found = byFingerprint.get(SigningKeys.normalizeFingerprint(fingerprintOrName));
            } catch (UserException notAFingerprint) {
                found = null;
            }
        }
        if (found != null) {
            byFingerprint.remove(found.fingerprint());
            save();
        }
        return Optional.ofNullable(found);
    }

    private static String fingerprintOf(String keyOrFingerprint) {
        Path p = Path.of(keyOrFingerprint);
        if (Files.isRegularFile(p)) {
            try {
                PublicKey key = SigningKeys.parsePublicKeyPem(new String(BoundedFiles.readAllBytes(p, 64 << 10,
                        "a public-key file"), StandardCharsets.US_ASCII));
                return SigningKeys.fingerprint(key);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException(p + ": not an Ed25519 public-key PEM file (" + e.getMessage() + ")");
            }
        }
        return SigningKeys.normalizeFingerprint(keyOrFingerprint);
    }

    private void save() {
        List<String> lines = new ArrayList<>();
        lines.add("# Trusted bundle signers: FINGERPRINT NAME (rsafe bundle trust add|list|remove)");
        byFingerprint.values().forEach(s -> lines.add(s.fingerprint() + " " + s.name()));
        try {
            AtomicFiles.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
