package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.util.UserException;

class TrustedSignersTest {

    @TempDir
    Path dir;

    @Test
    void signersAddedByPemFileOrFingerprintSurviveAReloadAndCanBeRemovedByName() throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = Files.writeString(dir.resolve("a.pem"), SigningKeys.publicKeyPem(a.getPublic()), StandardCharsets.US_ASCII);

        TrustedSigners list = TrustedSigners.load(dir.resolve("config"));
        list.add(pem.toString(), "Ana");
        list.add(SigningKeys.formatFingerprint(SigningKeys.fingerprint(b.getPublic())), "Bo");
        TrustedSigners reloaded = TrustedSigners.load(dir.resolve("config"));

        assertThat(reloaded.signers()).extracting(TrustedSigners.Signer::name).containsExactly("Ana", "Bo");
        assertThat(reloaded.trusts(SigningKeys.fingerprint(a.getPublic()))).isTrue();
        assertThat(reloaded.remove("Ana")).isPresent();
        assertThat(TrustedSigners.load(dir.resolve("config")).fingerprints())
                .containsExactly(SigningKeys.fingerprint(b.getPublic()));
    }

    @Test
    void aDamagedLineIsNamedByFileAndLine() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve(TrustedSigners.FILE_NAME), "# list\n" + "ab".repeat(32) + " Ana\nnot-a-key Bo\n");

        assertThatThrownBy(() -> TrustedSigners.load(config)).isInstanceOf(UserException.class)
                .hasMessageStartingWith(config.resolve(TrustedSigners.FILE_NAME) + ":3:1: error: [trust] not a key fingerprint");
    }

    @Test
    void aNameOnSeveralLinesIsRefused() {
        TrustedSigners list = TrustedSigners.load(dir);

        assertThatThrownBy(() -> list.add("ab".repeat(32), "two\nlines")).isInstanceOf(UserException.class)
                .hasMessageContaining("one line");
        assertThat(dir.resolve(TrustedSigners.FILE_NAME)).doesNotExist();
    }
}
