package org.rsafe.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.util.Hashing;
import org.rsafe.workspace.Fixtures;

/** Exporting bundles: their contents and manifest, and the refusals that validation gives. */
class BundleExportTest {

    @TempDir
    Path dir;

    @Test
    void aBundleHoldsThePolicyPromptsResultsReportAndAManifestHashingEveryFile() throws Exception {
        BundleFixture f = BundleFixture.in(dir);

        Path bundle = f.export("garden");

        Map<String, byte[]> entries = CraftedZip.entries(Files.readAllBytes(bundle));
        assertThat(entries.keySet()).containsExactly("manifest.json", "signature.ed25519", "public-key.pem",
                "policy.yaml", "prompts/paper-prompt-level.txt", "prompts/paper-response-level.txt",
                "prompts/detailed-prompt-level.txt", "prompts/detailed-response-level.txt", "results/results.jsonl",
                "results/report.json", "results/run.json", "report.md");
        assertThat(entries.get("policy.yaml")).isEqualTo(Files.readAllBytes(f.policyFile));
        assertThat(entries.get("results/results.jsonl")).isEqualTo(Files.readAllBytes(f.runDir.resolve("results.jsonl")));
        BundleManifest m = BundleManifest.parse(entries.get("manifest.json"));
        assertThat(m.files().keySet()).hasSize(entries.size() - 2).doesNotContain("manifest.json", "signature.ed25519");
        m.files().forEach((name, info) -> {
            assertThat(info.sha256()).as(name).isEqualTo(Hashing.sha256(entries.get(name)));
            assertThat(info.size()).as(name).isEqualTo(entries.get(name).length);
        });
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.created()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(m.toolVersion()).isEqualTo("test");
        assertThat(m.policy().id()).isEqualTo("garden-club");
        assertThat(m.policy().sha256()).isEqualTo(Hashing.sha256(Files.readString(f.policyFile)));
        assertThat(m.engine().engine()).isEqualTo("keyword-test");
        assertThat(m.engine().modelHash()).isEqualTo("0123456789abcdef");
        assertThat(m.decoding()).containsEntry("defaultThreshold", "0.5000");
        assertThat(m.thresholds().defaultThreshold()).isEqualTo(0.5);
        assertThat(m.dataset().sha256()).isEqualTo(Hashing.sha256(dir.resolve("data.csv")));
        assertThat(m.dataset().rows()).isEqualTo(12);
        // keyword engine on the fixture data: all six unsafe rows caught, two safe near misses flagged
        assertThat(m.metrics().tp()).isEqualTo(6);
        assertThat(m.metrics().fp()).isEqualTo(2);
        assertThat(m.metrics().f1()).isEqualTo(12.0 / 14);
        assertThat(m.metrics().f1Ci95()).hasSize(2);
        assertThat(m.metrics().precisionCi95().get(0)).isLessThan(m.metrics().precision());
        assertThat(m.signer().fingerprint()).isEqualTo(f.key.fingerprint());
        assertThat(new String(entries.get("report.md"), StandardCharsets.UTF_8))
                .contains("# Policy bundle: Garden club forum rules", "## Evaluation report", "| T | Poisoning pets |");
    }

    @Test
    void promptTemplatesAreTheExactRenderingWithThePlaceholdersLeftIn() throws Exception {
        Policy policy = Fixtures.parse(Fixtures.policy(null));

        Map<String, String> prompts = BundleExporter.prompts(policy);

        String promptLevel = prompts.get("prompts/paper-prompt-level.txt");
        String responseLevel = prompts.get("prompts/detailed-response-level.txt");
        assertThat(promptLevel.split("\\{prompt}", -1)).hasSize(2);
        assertThat(promptLevel).doesNotContain("{response}");
        assertThat(promptLevel.replace("{prompt}", "is {response} literal?"))
                .isEqualTo(PromptRenderer.render(policy, TemplateKind.PAPER, "is {response} literal?", null));
        assertThat(responseLevel.replace("{prompt}", "question").replace("{response}", "answer"))
                .isEqualTo(PromptRenderer.render(policy, TemplateKind.DETAILED, "question", "answer"));
    }

    @Test
    void aPolicyForPromptsOnlyGetsOnlyPromptLevelTemplates() {
        Policy policy = Fixtures.parse(Fixtures.policy(null).replace("applies_to: both", "applies_to: prompt"));

        assertThat(BundleExporter.prompts(policy).keySet())
                .containsExactly("prompts/paper-prompt-level.txt", "prompts/detailed-prompt-level.txt");
    }

    @Test
    void exportIsRefusedWhenAGateIsNotMetAndNothingIsWritten() throws Exception {
        BundleFixture f = BundleFixture.in(dir);
        Path out = dir.resolve("x.rsafe.zip");

        assertThatThrownBy(() -> new BundleExporter().export(f.request(new ExportGates(0.9, 0.1, 0)), f.key, out,
                Instant.now()))
                .isInstanceOfSatisfying(BundleRefusedException.class, e -> assertThat(e.validation().reasons())
                        .satisfiesExactly(
                                r -> assertThat(r).startsWith("gate not met: F1 0.8571 < minimum 0.9000, 95% interval ["),
                                r -> assertThat(r).isEqualTo("gate not met: false-positive rate 0.3333 > maximum 0.1000")));
        assertThat(out).doesNotExist();
        assertThat(new BundleExporter().validate(f.request(new ExportGates(0.85, 0.34, 0))).ok()).isTrue();
    }

    @Test
    void aMetricGateOnTooFewRowsIsRefusedAndSaysHowManyAreNeeded() throws Exception {
        BundleFixture f = BundleFixture.in(dir);

        BundleValidation fewRows = new BundleExporter().validate(f.request(new ExportGates(0.5, null)));
        BundleValidation enough = new BundleExporter().validate(f.request(new ExportGates(0.5, null, 12)));
        BundleValidation noGate = new BundleExporter().validate(f.request(ExportGates.NONE));

        assertThat(fewRows.ok()).isFalse();
        assertThat(fewRows.gateLines()).first().isEqualTo("labelled rows 12 < minimum "
                + ExportGates.DEFAULT_MIN_ROWS + " (NOT met)");
        assertThat(fewRows.problems()).singleElement().asString()
                .startsWith("gate not met: only 12 labelled rows back the gates; at least 30 are needed");
        assertThat(fewRows.gateLines()).anySatisfy(l -> assertThat(l).matches(
                "F1 0\\.8571 >= minimum 0\\.5000, 95% interval \\[0\\.\\d\\d, 1\\.00\\] \\(met\\)"));
        assertThat(enough.ok()).isTrue();
        assertThat(enough.gateLines()).first().isEqualTo("labelled rows 12 >= minimum 12 (met)");
        assertThat(noGate.ok()).as("a bundle that claims no level needs no evidence").isTrue();
        assertThat(noGate.gateLines()).isEmpty();
    }

    @Test
    void exportIsRefusedForAPolicyWithLintErrors() throws Exception {
        BundleFixture f = BundleFixture.in(dir, Fixtures.policy(null).replace("- id: F", "- id: T"));

        BundleValidation v = new BundleExporter().validate(f.request(ExportGates.NONE));

        assertThat(v.ok()).isFalse();
        assertThat(v.reasons()).anySatisfy(r -> assertThat(r).contains("error: [duplicate-clause-id]"));
    }

    @Test
    void exportIsRefusedWhenTheResultsAreOfAnotherVersionOfThePolicy() throws Exception {
        BundleFixture f = BundleFixture.in(dir);
        Files.writeString(f.policyFile, Fixtures.policy(0.7));

        BundleValidation v = new BundleExporter().validate(f.request(ExportGates.NONE));

        assertThat(v.problems()).singleElement().asString().contains("another version of the policy");
    }

    @Test
    void exportIsRefusedForAnUnfinishedEvaluation() throws Exception {
        BundleFixture f = BundleFixture.in(dir);
        Files.delete(f.runDir.resolve("report.json"));

        BundleValidation v = new BundleExporter().validate(f.request(ExportGates.NONE));

        assertThat(v.problems()).singleElement().asString().contains("did not finish");
    }
}
