package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

/** The signing key pair: created once, owner-only, refused when exposed; fingerprints as typed. */
class SigningKeysTest {

    @TempDir
    Path config;

    @Test
    void theKeyPairIsCreatedOnFirstUseWithAPrivateKeyOnlyItsOwnerCanRead() throws IOException {
        SigningKeys.SigningKey created = SigningKeys.loadOrCreate(config);
        SigningKeys.SigningKey loaded = SigningKeys.loadOrCreate(config);

        assertThat(created.created()).isTrue();
        assertThat(loaded.created()).isFalse();
        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint()).matches("[0-9a-f]{64}");
        assertThat(created.privateKeyFile()).isEqualTo(config.resolve("keys").resolve("bundle-signing.key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("keys"))))
                .isEqualTo("rwx------");
        assertThat(SigningKeys.existingPublicKey(config)).get().isEqualTo(created.pair().getPublic());
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefused() throws IOException {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(config);
        Files.setPosixFilePermissions(key.privateKeyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> SigningKeys.loadOrCreate(config)).isInstanceOf(UserException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void aHalfPresentKeyPairIsNotSilentlyReplaced() throws IOException {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(config);
        Files.delete(key.publicKeyFile());

        assertThatThrownBy(() -> SigningKeys.loadOrCreate(config)).isInstanceOf(UserException.class)
                .hasMessageContaining("incomplete");
        assertThat(key.privateKeyFile()).exists();
    }

    @Test
    void fingerprintsAreAcceptedAsShownOrAsPlainHex() {
        String hex = "46ae5edc4b78e10bf899ec0e9dead766cb3f7a58b438717490854e58423b2436";
        String shown = SigningKeys.formatFingerprint(hex);

        assertThat(shown).isEqualTo("46ae:5edc:4b78:e10b:f899:ec0e:9dea:d766:cb3f:7a58:b438:7174:9085:4e58:423b:2436");
        assertThat(SigningKeys.normalizeFingerprint(shown)).isEqualTo(hex);
        assertThat(SigningKeys.normalizeFingerprint("SHA256:" + hex.toUpperCase())).isEqualTo(hex);
        assertThatThrownBy(() -> SigningKeys.normalizeFingerprint(hex.substring(0, 16)))
                .isInstanceOf(UserException.class).hasMessageContaining("64 hex digits");
    }
}
