package org.rsafe.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchConfig;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchProgress;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.policy.Policy;
import org.rsafe.util.UserException;
import org.rsafe.workspace.FlipTraces;
import org.rsafe.workspace.FlipTracer;
import org.rsafe.workspace.RunComparison;
import org.rsafe.workspace.RunStore;
import org.rsafe.workspace.StoredRun;
import org.rsafe.workspace.VerdictFlip;

/**
 * The compare-two-versions use case: judge one labelled data file with policy A and with policy B through the
 * workspace's run store (a run of the same policy text, engine and data is reused, an interrupted one resumed), pair
 * the two runs row by row into metric deltas and verdict flips, and on request judge the first flipped rows again to
 * show both traces. Both faces run it with the same {@link DataSettings}, so they store and reuse the same runs.
 */
public final class Comparison {
    private Comparison() { }

    /** Which version a run belongs to. */
    public enum Side { A, B }

    /**
     * What to compare.
     *
     * @param a             version A
     * @param b             version B
     * @param data          how the data file is read and judged (its seed also seeds the paired bootstrap)
     * @param mapping       the data file's columns, or null to detect them once for both sides
     * @param workspaceRoot the workspace whose {@code .rsafe/runs} stores the two runs
     * @param traces        judge this many flipped rows again, from the first, to show both traces; 0 for none
     */
    public record Request(Policy a, Policy b, DataSettings data, ColumnMapping mapping, Path workspaceRoot,
                          int traces) {
        public Request {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(workspaceRoot, "workspaceRoot");
            if (traces < 0) {
                throw new UserException("--traces must be 0 or more, was " + traces);
            }
        }
    }

    /**
     * What a comparison found.
     *
     * @param comparison the two stored runs, paired: metric deltas and verdict flips
     * @param traces     both traces of the first {@link Request#traces()} flips, in the flips' order
     */
    public record Result(RunComparison comparison, List<FlipTraces> traces) {
        public Result {
            Objects.requireNonNull(comparison, "comparison");
            traces = List.copyOf(traces);
        }
    }

    /**
     * How far a comparison has come: the side being judged and that run's progress. Taken together, A fills the
     * first half of {@link #done()} of {@link #total()} and B the second, so an overall bar never runs backwards.
     */
    public record Progress(Side side, BatchProgress batch) {
        public Progress {
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(batch, "batch");
        }

        /** Rows finished over both sides (a side whose size is not known yet counts as one row). */
        public long done() {
            long perSide = perSide();
            return side.ordinal() * perSide + Math.max(0, Math.min(batch.done(), perSide));
        }

        /** Rows of both sides together. */
        public long total() {
            return 2 * perSide();
        }

        private long perSide() {
            return Math.max(1, batch.total());
        }
    }

    /** Receives a comparison's progress on the thread that runs it; must return quickly. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = p -> { };

        void onProgress(Progress progress);
    }

    /**
     * Runs A, then B, then pairs them (and traces the flips asked for).
     *
     * @throws java.util.concurrent.CancellationException when cancelled (rows judged so far are kept for next time)
     */
    public static Result run(Engine engine, Request request, Listener listener, Cancellation cancellation) {
        Objects.requireNonNull(listener, "listener");
        DataSettings data = request.data();
        ColumnMapping mapping = request.mapping() != null ? request.mapping() : Evaluation.detect(data).mapping();
        RunStore store = RunStore.of(request.workspaceRoot());
        BatchConfig config = data.config(engine, mapping, store.dir(), false);
        StoredRun runA = store.run(engine, request.a(), config, progressOf(Side.A, listener), cancellation);
        StoredRun runB = store.run(engine, request.b(), config, progressOf(Side.B, listener), cancellation);
        RunComparison comparison = RunComparison.of(runA, runB, data.seed());
        List<VerdictFlip> flips = comparison.flips();
        List<FlipTraces> traced = request.traces() == 0 || flips.isEmpty() ? List.of()
                : trace(engine, comparison, flips.subList(0, Math.min(request.traces(), flips.size())), cancellation);
        return new Result(comparison, traced);
    }

    /**
     * Judges the given flips of {@code comparison} again under A and under B, with the engine that made the runs.
     *
     * @throws UserException when {@code engine} is not the one the comparison ran with (its traces would explain
     *                       verdicts other than the ones that flipped)
     */
    public static List<FlipTraces> trace(Engine engine, RunComparison comparison, List<VerdictFlip> flips,
                                         Cancellation cancellation) {
        if (!judgedBy(comparison, engine)) {
            throw new UserException("the engine is not the one this comparison ran with; run the comparison again "
                    + "to trace its flips");
        }
        return FlipTracer.trace(engine, comparison, flips, cancellation);
    }

    /** Whether both runs of {@code comparison} were judged by an engine of {@code engine}'s identity. */
    public static boolean judgedBy(RunComparison comparison, Engine engine) {
        return comparison.a().engine().equals(engine.identity()) && comparison.b().engine().equals(engine.identity());
    }

    private static BatchListener progressOf(Side side, Listener listener) {
        return p -> listener.onProgress(new Progress(side, p));
    }
}
