package org.rsafe.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.Hashing;
import org.rsafe.util.UserException;

/**
 * The user's Ed25519 key pair for signing bundles (the JDK's own implementation), kept in
 * {@code CONFIG/keys/bundle-signing.key} (PKCS#8 PEM, readable by the owner only) and
 * {@code CONFIG/keys/bundle-signing.pub} (X.509 PEM). CONFIG is {@link #configDir()}. The pair is created on first
 * use. A key's fingerprint is the SHA-256 of its X.509 encoding, shown as 16 groups of 4 hex digits.
 */
public final class SigningKeys {

    /** System property that moves the configuration folder (tests use it). */
    public static final String CONFIG_PROPERTY = "rsafe.configDir";
    static final String KEYS_DIR = "keys";
    static final String PRIVATE_FILE = "bundle-signing.key";
    static final String PUBLIC_FILE = "bundle-signing.pub";
    static final String ALGORITHM = "Ed25519";
    private static final String PUBLIC_PEM = "PUBLIC KEY";
    private static final String PRIVATE_PEM = "PRIVATE KEY";

    /** A loaded key pair and where it lives. */
    public record SigningKey(KeyPair pair, Path privateKeyFile, Path publicKeyFile, boolean created) {
        public String fingerprint() {
            return SigningKeys.fingerprint(pair.getPublic());
        }
    }

    private SigningKeys() { }

    /**
     * The configuration folder: {@code -Drsafe.configDir} when set; else {@code $XDG_CONFIG_HOME/rsafe-workbench}
     * when that variable holds an absolute path; else {@code ~/.config/rsafe-workbench}.
     */
    public static Path configDir() {
        String configured = System.getProperty(CONFIG_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "rsafe-workbench");
        }
        return Path.of(System.getProperty("user.home"), ".config", "rsafe-workbench");
    }

    /** The key pair in {@code configDir}, created there (with owner-only permissions) when there is none. */
    public static synchronized SigningKey loadOrCreate(Path configDir) {
        Path keys = configDir.resolve(KEYS_DIR);
        Path priv = keys.resolve(PRIVATE_FILE);
        Path pub = keys.resolve(PUBLIC_FILE);
        boolean hasPrivate = Files.exists(priv);
        boolean hasPublic = Files.exists(pub);
        if (hasPrivate && hasPublic) {
            return new SigningKey(load(priv, pub), priv, pub, false);
        }
        if (hasPrivate || hasPublic) {
            throw new UserException("the signing key pair in " + keys + " is incomplete (" + (hasPrivate ? pub : priv)
                    + " is missing); restore that file, or remove the other to create a new pair");
        }
        try {
            createOwnerOnlyDir(keys);
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            // AtomicFiles writes through a temporary file that the JDK creates owner-only, so the private key is never
            // readable by others, not even for a moment.
            AtomicFiles.writeString(priv, pem(PRIVATE_PEM, pair.getPrivate().getEncoded()));
            restrictToOwner(priv);
            AtomicFiles.writeString(pub, publicKeyPem(pair.getPublic()));
            return new SigningKey(pair, priv, pub, true);
        } catch (IOException e) {
            throw new UserException("cannot create a signing key in " + keys + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK must provide Ed25519", e);
        }
    }

    /** The public key in {@code configDir}, if a pair exists there; never creates one. */
    public static Optional<PublicKey> existingPublicKey(Path configDir) {
        Path pub = configDir.resolve(KEYS_DIR).resolve(PUBLIC_FILE);
        if (!Files.isRegularFile(pub)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parsePublicKeyPem(Files.readString(pub, StandardCharsets.US_ASCII)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** SHA-256 of the key's X.509 encoding, 64 lower-case hex digits. */
    public static String fingerprint(PublicKey key) {
        return Hashing.sha256(key.getEncoded());
    }

    /** A fingerprint for people: {@code 3f2a:91bc:…} (16 groups of 4). */
    public static String formatFingerprint(String hex) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(hex, i, Math.min(hex.length(), i + 4));
        }
        return sb.toString();
    }

    /**
     * A fingerprint as the user typed it (any case; colons, spaces or dashes between digits; an optional
     * {@code SHA256:} prefix) as 64 lower-case hex digits; a user mistake when it is not a full fingerprint.
     */
    public static String normalizeFingerprint(String typed) {
        String s = typed == null ? "" : typed.strip();
        if (s.regionMatches(true, 0, "sha256:", 0, 7)) {
            s = s.substring(7);
        }
        s = s.replaceAll("[\\s:-]", "").toLowerCase(Locale.ROOT);
        if (!s.matches("[0-9a-f]{64}")) {
            throw new UserException("'" + typed + "' is not a key fingerprint: one has 64 hex digits, as "
                    + "'rsafe bundle key' or 'rsafe bundle verify' show it");
        }
        return s;
    }

    /** The PEM text of a public key, exactly as bundles carry it. */
    public static String publicKeyPem(PublicKey key) {
        return pem(PUBLIC_PEM, key.getEncoded());
    }

    /**
     * Parses PEM text that must be exactly what {@link #publicKeyPem} writes for an Ed25519 key, byte for byte, so
     * that no variant of a key file (other line breaks, extra text) can pass as the same key.
     */
    public static PublicKey parsePublicKeyPem(String text) {
        String begin = "-----BEGIN " + PUBLIC_PEM + "-----\n";
        String end = "-----END " + PUBLIC_PEM + "-----\n";
        if (!text.startsWith(begin) || !text.endsWith(end)) {
            throw new IllegalArgumentException("not a PEM public key");
        }
        String body = text.substring(begin.length(), text.length() - end.length()).replace("\n", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("damaged PEM public key");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        if (!publicKeyPem(key).equals(text)) {
            throw new IllegalArgumentException("public key file is not in canonical form");
        }
        return key;
    }

    /** An Ed25519 signature of {@code data}. */
    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an Ed25519 key", e);
        }
    }

    /** True when {@code signature} is a valid Ed25519 signature of {@code data} by {@code key}. */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPair load(Path priv, Path pub) {
        checkOwnerOnly(priv);
        try {
            PublicKey publicKey = parsePublicKeyPem(Files.readString(pub, StandardCharsets.US_ASCII));
            String text = Files.readString(priv, StandardCharsets.US_ASCII);
            String body = text.replace("-----BEGIN " + PRIVATE_PEM + "-----", "")
                    .replace("-----END " + PRIVATE_PEM + "-----", "").replaceAll("\\s", "");
            PrivateKey privateKey = KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            byte[] probe = "rsafe key check".getBytes(StandardCharsets.US_ASCII);
            if (!verify(publicKey, probe, sign(privateKey, probe))) {
                throw new UserException(pub + " is not the public half of " + priv
                        + "; restore the right pair, or remove both to create a new one");
            }
            return new KeyPair(publicKey, privateKey);
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            throw new UserException("cannot read the signing key in " + priv.getParent() + ": " + e.getMessage()
                    + "; remove both key files to create a new pair (bundles signed before need the old key's "
                    + "fingerprint to be trusted no longer)");
        }
    }

    private static void checkOwnerOnly(Path priv) {
        if (!posix()) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(priv);
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
                    throw new UserException(priv + " can be read by other users (" + PosixFilePermissions.toString(perms)
                            + "); make it private with: chmod 600 " + priv);
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot check the permissions of " + priv + ": " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnlyDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        if (posix()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }
}
