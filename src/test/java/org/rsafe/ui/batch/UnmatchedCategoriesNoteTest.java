package org.rsafe.ui.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rsafe.app.DataSettings;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.app.Evaluation;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.eval.BatchListener;
import org.rsafe.eval.BatchSummary;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;

/** The Batch tab warns, as the CLI's report does, when the data's categories belong to another policy. */
class UnmatchedCategoriesNoteTest {
    @TempDir
    Path dir;

    private BatchSummary run(String policyFile, String dataFile) {
        Policy policy = PolicyLoader.loadOrThrow(Path.of(policyFile));
        DataSettings data = BatchViewModel.dataSettings(Path.of(dataFile));
        Evaluation.Columns columns = Evaluation.detect(data);
        try (Engine quick = Engines.open(EngineSpec.quick().withDiskCache(false))) {
            return Evaluation.run(quick, new Evaluation.Request(policy, data, columns.mapping(), dir.resolve("run"),
                    false), BatchListener.NONE, Cancellation.none());
        }
    }

    @Test
    void dataLabelledForAnotherPolicyGetsAWarningNamingItsCategories() {
        BatchSummary s = run("policies/openai-moderation.yaml", "sample-inputs/prompts.csv");

        assertThat(BatchViewModel.unmatchedCategoriesNote(s.metrics()))
                .startsWith("none of the data's").contains("U1").contains("labelled for another policy");
    }

    @Test
    void dataLabelledForThisPolicyGetsNone() {
        BatchSummary s = run("policies/rsafe-default.yaml", "sample-inputs/prompts.csv");

        assertThat(BatchViewModel.unmatchedCategoriesNote(s.metrics())).isEmpty();
    }
}
