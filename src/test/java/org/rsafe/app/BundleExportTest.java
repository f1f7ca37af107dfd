package org.rsafe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.bundle.BundleRefusedException;
import org.rsafe.bundle.BundleVerifier;
import org.rsafe.bundle.ExportGates;
import org.rsafe.bundle.VerifyStatus;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchListener;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.UserException;
import org.rsafe.workspace.Fixtures;

/** The export use case with the real quick engine, exporter and signing keys, all in a temporary folder. */
class BundleExportTest {
    private static Engine quick;

    @TempDir
    Path dir;

    private Path policy;
    private Path keys;
    private DataSettings data;

    @BeforeAll
    static void openEngine() {
        quick = Engines.open(EngineSpec.quick());
    }

    @AfterAll
    static void closeEngine() {
        quick.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        policy = Files.writeString(dir.resolve("garden.yaml"), Fixtures.policy(null));
        keys = dir.resolve("config");
        data = DataSettings.of(Fixtures.writeData(dir.resolve("data.csv")));
    }

    private BundleExport.Request request(ExportGates gates) {
        return new BundleExport.Request(policy, data, null, dir, gates, "test");
    }

    @Test
    void aPolicyWithLintErrorsIsRefusedWithoutJudgingAnything() throws Exception {
        Files.writeString(policy, Fixtures.policy(null).replace("- id: F", "- id: T"));

        BundleExport.Lint lint = BundleExport.lint(policy);
        BundleExport.Checked checked = BundleExport.check(quick, request(ExportGates.NONE), BatchListener.NONE,
                Cancellation.none());

        assertThat(lint.passed()).isFalse();
        assertThat(lint.errors()).extracting(Diagnostic::format).anySatisfy(d -> assertThat(d).contains("[duplicate-clause-id]"));
        assertThat(checked.exportable()).isFalse();
        assertThat(checked.run()).isNull();
        assertThat(checked.validation().lintErrors()).isEqualTo(lint.errors());
        assertThat(ComparisonTest.finishedRuns(dir)).isEmpty();
        assertThat(dir.resolve(".rsafe")).doesNotExist();
    }

    @Test
    void aPolicyThatPassesIsEvaluatedCheckedSignedAndWritten() {
        // The fixture's dozen rows are fewer than the default minimum behind a gate; this test accepts them.
        BundleExport.Checked checked = BundleExport.check(quick, request(new ExportGates(0.0, 1.0, 0)),
                BatchListener.NONE, Cancellation.none());
        Path out = dir.resolve("garden.rsafe.zip");

        BundleExport.Exported exported = BundleExport.export(checked, keys, out, Instant.now());

        assertThat(checked.exportable()).isTrue();
        assertThat(checked.run().reused()).isFalse();
        assertThat(checked.validation().gateLines()).hasSize(2).allSatisfy(g -> assertThat(g).endsWith("(met)"));
        assertThat(exported.file()).isEqualTo(out).isRegularFile();
        assertThat(exported.key().created()).isTrue();
        assertThat(exported.manifest().policy().id()).isEqualTo("garden-club");
        assertThat(new BundleVerifier().verify(out, java.util.Set.of(exported.key().fingerprint())).status())
                .isEqualTo(VerifyStatus.OK);
    }

    @Test
    void theEvidenceNamesTheNumbersTheGatesWereJudgedOnAndTooFewRowsAreRefused() {
        BundleExport.Checked checked = BundleExport.check(quick, request(new ExportGates(0.0, null)),
                BatchListener.NONE, Cancellation.none());

        BundleExport.Evidence e = BundleExport.evidence(checked).orElseThrow();
        assertThat(e.rows()).isEqualTo(checked.run().metrics().rows()).isLessThan(ExportGates.DEFAULT_MIN_ROWS);
        assertThat(e.unsafe() + e.safe() + e.parseFailures()).isEqualTo(e.rows());
        assertThat(e.requiredRows()).isEqualTo(ExportGates.DEFAULT_MIN_ROWS);
        assertThat(e.describe()).startsWith(e.rows() + " labelled rows (" + e.unsafe() + " unsafe, " + e.safe() + " safe)")
                .contains("95% interval [").endsWith("gates need at least 30 rows");
        assertThat(checked.exportable()).isFalse();
        assertThat(checked.validation().problems()).singleElement().asString()
                .startsWith("gate not met: only " + e.rows() + " labelled rows back the gates");
    }

    @Test
    void aSecondCheckOfTheSamePolicyAndDataReusesTheStoredEvaluation() {
        BundleExport.Checked first = BundleExport.check(quick, request(ExportGates.NONE), BatchListener.NONE,
                Cancellation.none());
        BundleExport.Checked again = BundleExport.check(quick, request(ExportGates.NONE), BatchListener.NONE,
                Cancellation.none());

        assertThat(again.run().reused()).isTrue();
        assertThat(again.run().dir()).isEqualTo(first.run().dir());
        assertThat(again.bundle().runDir()).isEqualTo(first.run().dir());
    }

    @Test
    void aGateNotMetIsRefusedAtExportWithoutWritingOrMakingAKey() throws Exception {
        data = DataSettings.of(Fixtures.writeDataWithAWrongLabel(dir.resolve("data.csv")));
        BundleExport.Checked checked = BundleExport.check(quick, request(new ExportGates(0.9999, 0.0)),
                BatchListener.NONE, Cancellation.none());
        Path out = dir.resolve("refused.rsafe.zip");

        assertThat(checked.exportable()).isFalse();
        assertThat(checked.validation().problems()).anySatisfy(p -> assertThat(p).startsWith("gate not met: "));
        assertThatThrownBy(() -> BundleExport.export(checked, keys, out, Instant.now()))
                .isInstanceOf(BundleRefusedException.class);
        assertThat(out).doesNotExist();
        assertThat(keys).doesNotExist();
    }

    @Test
    void aMissingDataFileIsAUserMistake() {
        BundleExport.Request missing = new BundleExport.Request(policy, DataSettings.of(dir.resolve("nope.csv")), null,
                dir, ExportGates.NONE, "test");

        assertThatThrownBy(() -> BundleExport.check(quick, missing, BatchListener.NONE, Cancellation.none()))
                .isInstanceOf(UserException.class)
                .hasMessage(dir.resolve("nope.csv") + ": no such data file");
    }
}
