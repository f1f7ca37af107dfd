package org.rsafe.serve;

import java.util.ArrayList;
import java.util.List;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.llm.LocalModel;
import org.rsafe.engine.llm.TextGenerator;

/**
 * A {@link ServedModel} over the project's own model ({@link LocalModel}): a batch is one
 * {@link TextGenerator#generateRows} call, so the prompts share the prefill and every decode step.
 */
public final class LocalServedModel implements ServedModel {
    private final LocalModel local;
    private final TextGenerator generator;

    /** Serves {@code local}; closing this closes it. */
    public LocalServedModel(LocalModel local) {
        this(local, false);
    }

    /**
     * Serves {@code local}, every answer held to RSafe's output format when {@code constrainFormat} is set
     * ({@link TextGenerator#withFormatConstraint()}); closing this closes the model.
     */
    public LocalServedModel(LocalModel local, boolean constrainFormat) {
        this.local = local;
        this.generator = constrainFormat ? local.generator().withFormatConstraint() : local.generator();
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
        TextGenerator.Listener listener = new TextGenerator.Listener() {
            @Override
            public void onText(int row, String piece) {
                prompts.get(row).listener().onText(piece);
            }

            @Override
            public void onRowDone(int row, TextGenerator.Generation generation) {
                prompts.get(row).listener().onDone(served(generation));
            }
        };
        List<TextGenerator.Generation> done = generator.generateRows(rows, listener, Cancellation.none());
        return done.stream().map(LocalServedModel::served).toList();
    }

    private static Generation served(TextGenerator.Generation g) {
        return new Generation(g.text(), g.promptTokens(), g.completionTokens(), stopReason(g.stopReason()));
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
