package org.rsafe.serve;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.TextGenerator;

/**
 * A {@link ServedModel} over the project's own model ({@link LocalModel}): a batch is one
 * {@link TextGenerator#generateRows} call, so the prompts share the prefill and every decode step.
 */
public final class LocalServedModel implements ServedModel {
    private final LocalModel local;

    /** Serves {@code local}; closing this closes it. */
    public LocalServedModel(LocalModel local) {
        this.local = local;
    }

    @Override
    public String modelId() {
        return local.modelId();
    }

    @Override
    public List<String> notices() {
        return local.notices();
    }

    @Override
    public int contextLength() {
        return local.model().config().maxPositionEmbeddings();
    }

    @Override
    public int[] encode(String chatText) {
        return local.tokenizer().encode(chatText);
    }

    @Override
    public List<Generation> generate(List<Prompt> prompts) {
        List<TextGenerator.RowRequest> rows = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            rows.add(new TextGenerator.RowRequest(p.tokenIds(), p.decoding(), p.stop(), p.cancellation()));
        }
        List<TextGenerator.Generation> done = local.generator().generateRows(rows,
                (row, piece) -> prompts.get(row).listener().onText(piece), org.rsafe.engine.Cancellation.none());
        List<Generation> out = new ArrayList<>(done.size());
        for (TextGenerator.Generation g : done) {
            out.add(new Generation(g.text(), g.promptTokens(), g.completionTokens(), stopReason(g.stopReason())));
        }
        return out;
    }

    private static StopReason stopReason(TextGenerator.StopReason r) {
        return switch (r) {
            case EOS -> StopReason.EOS;
            case STOP_STRING -> StopReason.STOP_STRING;
            case MAX_NEW_TOKENS -> StopReason.MAX_TOKENS;
            case CANCELLED -> StopReason.CANCELLED;
        };
    }

    @Override
    public void close() {
        local.close();
    }
}
