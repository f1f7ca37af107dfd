package org.rsafe.workspace;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.EngineThreadGuard;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelledRow;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Judgement;
import org.rsafe.util.UserException;

/**
 * Produces the full traces of flipped rows. Stored results keep verdicts and clause scores but not traces (they
 * would dwarf the results), so the few rows worth reading are judged again, under each version, with the
 * comparison's engine and the same template a batch run uses.
 */
public final class FlipTracer {

    private FlipTracer() { }

    /** Traces of the given flips of {@code comparison}, in the flips' order; one pass over the data file. */
    public static List<FlipTraces> trace(Engine engine, RunComparison comparison, List<VerdictFlip> flips,
                                         Cancellation cancellation) {
        EngineThreadGuard.assertNotFxThread();
        Map<Long, VerdictFlip> wanted = new HashMap<>();
        for (VerdictFlip f : flips) {
            wanted.put(f.row(), f);
        }
        Map<Long, LabelledRow> rows = new HashMap<>();
        StoredRun a = comparison.a();
        try (DatasetReader reader = DatasetReader.open(a.dataFile(), a.mapping(), BadRowPolicy.SKIP)) {
            while (reader.hasNext() && rows.size() < wanted.size()) {
                LabelledRow row = reader.next();
                if (wanted.containsKey(row.rowNumber())) {
                    rows.put(row.rowNumber(), row);
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + a.dataFile() + ": " + e.getMessage(), e);
        }
        List<FlipTraces> out = new ArrayList<>(flips.size());
        for (VerdictFlip f : flips) {
            cancellation.check();
            LabelledRow row = rows.get(f.row());
            if (row == null) {
                throw new UserException(a.dataFile() + ": row " + f.row() + " is no longer in the file; "
                        + "was it changed after the comparison?");
            }
            Judgement ja = engine.judge(request(comparison.a(), row), JudgeListener.NONE, cancellation);
            Judgement jb = engine.judge(request(comparison.b(), row), JudgeListener.NONE, cancellation);
            out.add(new FlipTraces(f, row, ja, jb));
        }
        return out;
    }

    private static JudgeRequest request(StoredRun run, LabelledRow row) {
        return new JudgeRequest(row.id(), run.policy(), row.prompt(), row.response(), TemplateKind.PAPER);
    }
}
