package org.rsafe.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.rsafe.engine.Cancellation;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchRun;
import org.rsafe.policy.Policy;
import org.rsafe.workspace.Fixtures;
import org.rsafe.workspace.KeywordTestEngine;

/**
 * A policy file, its evaluation by the keyword test engine on the test data set, and a signing key, all in one
 * folder: what a bundle export needs, made in milliseconds.
 */
final class BundleFixture {
    final Path dir;
    final Path policyFile;
    final Path runDir;
    final Path configDir;
    final SigningKeys.SigningKey key;

    private BundleFixture(Path dir, String policyText) throws IOException {
        this.dir = dir;
        this.policyFile = dir.resolve("garden-club.yaml");
        Files.createDirectories(dir);
        Files.writeString(policyFile, policyText);
        Path data = Fixtures.writeData(dir.resolve("data.csv"));
        this.runDir = dir.resolve("run");
        Policy policy = Fixtures.parse(policyText);
        new BatchRun().run(new KeywordTestEngine(), policy, BatchConfig.of(data, runDir), null, Cancellation.none());
        this.configDir = dir.resolve("config");
        this.key = SigningKeys.loadOrCreate(configDir);
    }

    static BundleFixture in(Path dir) throws IOException {
        return new BundleFixture(dir, Fixtures.policy(null));
    }

    static BundleFixture in(Path dir, String policyText) throws IOException {
        return new BundleFixture(dir, policyText);
    }

    BundleRequest request(ExportGates gates) {
        return new BundleRequest(policyFile, runDir, gates, null, "test");
    }

    /** Exports with no gates to {@code dir/NAME.rsafe.zip}. */
    Path export(String name) {
        Path out = dir.resolve(name + BundleFormat.SUFFIX);
        new BundleExporter().export(request(ExportGates.NONE), key, out, Instant.parse("2026-01-02T03:04:05Z"));
        return out;
    }

    BundleVerifier verifier() {
        return new BundleVerifier(ZipLimits.DEFAULT, key.pair().getPublic());
    }
}
