package org.rsafe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.Engines;
import org.rsafe.bundle.SigningKeys;
import org.rsafe.cli.Main;
import org.rsafe.eval.ReportWriter;
import org.rsafe.ui.bench.EngineChoice;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.bench.EngineSource;
import org.rsafe.ui.bundle.ExportBundleViewModel;
import org.rsafe.ui.bundle.GateCheck;
import org.rsafe.ui.task.DirectTaskExecutor;
import org.rsafe.ui.versions.CompareSide;
import org.rsafe.ui.versions.CompareViewModel;
import org.rsafe.workspace.Fixtures;
import org.rsafe.workspace.RunStore;
import org.rsafe.workspace.Workspace;

/**
 * The command line and the GUI run the same use cases: given the same policies and data, the compare command and
 * the Compare tab, and the bundle export command and the Export dialog, judge and store the same runs (so each face
 * reuses what the other stored), and both refuse a policy with lint errors before any engine work. The GUI side is
 * the application's own engine choice (the quick engine with the GUI's settings) and reads the data as its Batch tab
 * does (unusable rows skipped), the CLI side its defaults with {@code --on-bad-row skip}.
 */
class FacesAgreeTest {
    private static final Pattern STORED = Pattern.compile("(?m)^  [AB]: reused stored results (\\S+)$");

    private static EngineService engines;

    @TempDir
    Path dir;

    private Path workspace;
    private Path data;
    private String oldConfigDir;

    @BeforeAll
    static void startGuiEngines() {
        engines = new EngineService(new DirectTaskExecutor(), () -> Engines.open(EngineService.guiQuickSpec()));
        engines.loadQuick();
    }

    @AfterAll
    static void closeGuiEngines() {
        engines.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        oldConfigDir = System.getProperty(SigningKeys.CONFIG_PROPERTY);
        System.setProperty(SigningKeys.CONFIG_PROPERTY, dir.resolve("config").toString());
        workspace = Files.createDirectories(dir.resolve("ws"));
        // One unusable row (no text): the GUI leaves it out, as its Batch tab does.
        data = Fixtures.writeData(dir.resolve("data.csv"));
        Files.writeString(data, Files.readString(data) + "r13,,unsafe\n");
    }

    @AfterEach
    void restoreConfigDir() {
        if (oldConfigDir == null) {
            System.clearProperty(SigningKeys.CONFIG_PROPERTY);
        } else {
            System.setProperty(SigningKeys.CONFIG_PROPERTY, oldConfigDir);
        }
    }

    @Test
    void theCompareCommandReusesBothRunsTheCompareTabStored() throws Exception {
        Path a = Files.writeString(workspace.resolve("a.yaml"), Fixtures.policy(null));
        Path b = Files.writeString(workspace.resolve("b.yaml"), Fixtures.policyWithoutF());
        EngineChoice choice = new EngineChoice(engines);
        CompareViewModel tab = new CompareViewModel(new DirectTaskExecutor());
        tab.useRuns(choice, choice.summaryBinding(), new javafx.beans.property.SimpleObjectProperty<>(data));
        tab.sideAProperty().set(CompareSide.current(a));
        tab.sideBProperty().set(CompareSide.current(b));

        tab.runComparison();
        List<Path> storedByGui = finishedRuns();
        Run cli = cli("compare", "--policy-a", a.toString(), "--policy-b", b.toString(), "--data", data.toString(),
                "--on-bad-row", "skip", "-q");

        assertThat(tab.runMessageProperty().get()).startsWith("12 rows compared");
        assertThat(storedByGui).hasSize(2);
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(reusedByCli(cli)).isEqualTo(names(storedByGui));
        assertThat(finishedRuns()).as("the command judged nothing new").hasSize(2);
    }

    @Test
    void theExportCommandReusesTheEvaluationTheExportDialogStored() throws Exception {
        Path policy = Files.writeString(workspace.resolve("garden.yaml"), Fixtures.policy(null));
        EngineChoice choice = new EngineChoice(engines);
        ExportBundleViewModel dialog = new ExportBundleViewModel(new DirectTaskExecutor(), policy, choice,
                choice.summaryBinding(), "test");
        dialog.dataFileProperty().set(data);

        dialog.validate();
        List<Path> storedByGui = finishedRuns();
        Run cli = cli("bundle", "export", "--policy", policy.toString(), "--data", data.toString(), "--on-bad-row",
                "skip", "--out", dir.resolve("garden.rsafe.zip").toString());

        assertThat(dialog.passedProperty().get()).as(dialog.messageProperty().get()).isTrue();
        assertThat(storedByGui).hasSize(1);
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.err()).contains("bundle: evaluation reused from " + storedByGui.get(0));
        assertThat(finishedRuns()).isEqualTo(storedByGui);
    }

    @Test
    void theExportDialogRefusesAPolicyWithLintErrorsBeforeAnyEngineWorkAsTheCommandDoes() throws Exception {
        Path policy = Files.writeString(workspace.resolve("dup.yaml"),
                Fixtures.policy(null).replace("- id: F", "- id: T"));
        List<String> engineRequests = new ArrayList<>();
        EngineSource noEngine = (onReady, onFailed) -> {
            engineRequests.add("asked");
            onFailed.accept("no engine in this test");
        };
        ExportBundleViewModel dialog = new ExportBundleViewModel(new DirectTaskExecutor(), policy, noEngine,
                new SimpleStringProperty("no engine"), "test");
        dialog.dataFileProperty().set(data);
        Path out = dir.resolve("dup.rsafe.zip");

        dialog.validate();
        Run cli = cli("bundle", "export", "--policy", policy.toString(), "--data", data.toString(), "--out",
                out.toString());

        assertThat(engineRequests).as("the dialog asked for no engine").isEmpty();
        assertThat(dialog.stateProperty().get()).isEqualTo(ExportBundleViewModel.State.CHECKED);
        assertThat(dialog.canExportBinding().get()).isFalse();
        List<String> refusedByGui = dialog.checks().stream().filter(c -> !c.passed()).map(GateCheck::text).toList();
        assertThat(refusedByGui).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("Lint: "));
        assertThat(refusedByGui).anySatisfy(line -> assertThat(line).contains("[duplicate-clause-id]"));
        assertThat(cli.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(cli.err().lines().filter(l -> l.contains("[")).toList())
                .containsExactlyElementsOf(refusedByGui.stream().map(l -> l.substring("Lint: ".length())).toList());
        assertThat(workspace.resolve(".rsafe")).as("nothing was judged or stored").doesNotExist();
        assertThat(out).doesNotExist();
    }

    private List<Path> finishedRuns() throws IOException {
        Path runs = workspace.resolve(Workspace.DATA_DIR).resolve(RunStore.RUNS_DIR);
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> all = Files.list(runs)) {
            return all.filter(r -> Files.isRegularFile(r.resolve(ReportWriter.JSON_NAME))).sorted().toList();
        }
    }

    private static Set<String> names(List<Path> runs) {
        return runs.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }

    /** The run folders the compare command says it reused. */
    private static Set<String> reusedByCli(Run run) {
        Set<String> out = new java.util.HashSet<>();
        Matcher m = STORED.matcher(run.out());
        while (m.find()) {
            out.add(Path.of(m.group(1)).getFileName().toString());
        }
        return out;
    }

    private record Run(int exit, String out, String err) { }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }
}
