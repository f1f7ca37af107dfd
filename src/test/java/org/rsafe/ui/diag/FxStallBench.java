package org.rsafe.ui.diag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.rsafe.app.Engines;
import org.rsafe.ui.MainViewModel;
import org.rsafe.ui.StartupFiles;
import org.rsafe.ui.style.Theme;
import org.rsafe.ui.WorkbenchWindow;
import org.rsafe.ui.batch.BatchViewModel;
import org.rsafe.ui.bench.EngineService;
import org.rsafe.ui.task.FxTaskExecutor;
import org.rsafe.ui.workspace.WorkbenchHome;

/**
 * Diagnostic, not a test: opens the real window, runs a batch of {@code rows} rows (default 1,000, built by
 * repeating the shipped sample prompts) with the quick engine and an empty embedding cache, and prints the
 * longest time the JavaFX thread could not respond meanwhile ({@code --stacks} adds where the thread was). Run it with {@code app/rsafe-workbench --stall-bench [rows]} on a display.
 */
public final class FxStallBench {
    private FxStallBench() { }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean verbose = options.contains("--stacks");
        int rows = options.stream().filter(a -> a.matches("\\d+")).findFirst().map(Integer::parseInt).orElse(1000);
        StartupFiles start = StartupFiles.locate();
        if (start.policy() == null || start.dataset() == null) {
            System.err.println("stall-bench: cannot find policies/rsafe-default.yaml and sample-inputs/prompts.csv; "
                    + "run it from the project folder");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("rsafe-stall-bench");
        Path data = repeatRows(start.dataset(), rows, work.resolve("stall-bench.csv"));
        System.setProperty(WorkbenchHome.PROPERTY, work.resolve("home").toString());

        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get(30, TimeUnit.SECONDS);

        FxTaskExecutor executor = new FxTaskExecutor();
        MainViewModel vm = onFx(() -> {
            Theme.LIGHT.apply();
            MainViewModel m = new MainViewModel(executor, WorkbenchHome.fromSystem(),
                    () -> Engines.open(EngineService.guiQuickSpec().withCacheDir(work.resolve("embedding-cache"))));
            WorkbenchWindow window = WorkbenchWindow.load(m);
            Stage stage = new Stage();
            stage.setScene(window.scene());
            stage.show();
            m.start(new StartupFiles(start.policy(), null));
            return m;
        });
        waitFor("the quick engine and the policy", Duration.ofMinutes(2), () -> onFx(() ->
                vm.engines().quickStatusProperty().get() == EngineService.Status.READY
                        && vm.editor().policyUsableProperty().get()));
        onFx(() -> {
            vm.batch().openDataset(data, null);
            return null;
        });
        waitFor("the dataset", Duration.ofMinutes(1), () -> onFx(() -> vm.batch().canRunBinding().get()));

        long t0 = System.nanoTime();
        FxStallMonitor.Report report;
        List<String> stacks;
        try (FxStallMonitor monitor = FxStallMonitor.start()) {
            onFx(() -> {
                vm.batch().run();
                return null;
            });
            waitFor("the batch run", Duration.ofMinutes(30), () -> onFx(() -> !vm.batch().isRunning()));
            report = monitor.report();
            stacks = monitor.stallStacks();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        BatchViewModel.State end = onFx(() -> vm.batch().stateProperty().get());
        int shown = onFx(() -> vm.batch().rows().size());
        System.out.printf(java.util.Locale.ROOT, "stall-bench: %d rows, run ended %s in %.1f s (%.1f rows/s), %d rows in the table%n",
                rows, end, seconds, rows / seconds, shown);
        System.out.println("stall-bench: " + report);
        if (verbose) {
            stacks.forEach(st -> System.out.println("stall-bench: FX thread during a stall:\n" + st));
        }
        onFx(() -> {
            vm.shutdown();
            return null;
        });
        executor.shutdown();
        Platform.exit();
        System.exit(end == BatchViewModel.State.DONE ? 0 : 1);
    }

    /**
     * Writes {@code rows} data rows by cycling through the sample file's rows; ids and prompt texts are made
     * unique so that no row is answered from the engine's embedding cache.
     */
    public static Path repeatRows(Path sample, int rows, Path target) throws IOException {
        List<java.util.Map<String, String>> records = org.rsafe.eval.DatasetReader.preview(sample, 1000);
        if (records.isEmpty()) {
            throw new IOException(sample + " has no rows");
        }
        List<String> header = List.copyOf(records.get(0).keySet());
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (int i = 0; i < rows; i++) {
            java.util.Map<String, String> r = records.get(i % records.size());
            StringBuilder line = new StringBuilder();
            for (String h : header) {
                if (line.length() > 0) {
                    line.append(',');
                }
                String v = r.getOrDefault(h, "");
                if (h.equals("id")) {
                    v = v + "-" + i;
                } else if (h.equals("prompt") && i >= records.size()) {
                    // A different text per row, so every row costs a real encoder pass (no cache hits).
                    v = v + " (take " + (i / records.size() + 1) + ")";
                }
                line.append('"').append(v.replace("\"", "\"\"")).append('"');
            }
            sb.append(line).append('\n');
        }
        org.rsafe.util.AtomicFiles.writeString(target, sb.toString());
        return target;
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(action.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(String what, Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("stall-bench: timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
