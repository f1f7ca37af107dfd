package org.rsafe.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.DatasetReader;
import org.rsafe.eval.LabelledRow;
import org.rsafe.eval.MappingOverrides;
import org.rsafe.policy.Policy;
import org.rsafe.prompt.ChatTemplate;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.UserException;

/**
 * Turns labelled datasets into RSafe training rows: renders each row with the policy (prompt-level template for
 * rows without a response, response-level with one), wraps it in the chat format, drops rows whose model input
 * exceeds the token limit, and optionally balances safe and unsafe rows by seeded downsampling of the larger class.
 */
public final class TrainingDataBuilder {

    private TrainingDataBuilder() { }

    /** How the rendered guard prompt becomes the model input. */
    public enum ChatFormat {
        /** One user turn in Qwen2.5's chat format with the generation prompt, as RSafe trained (the default). */
        QWEN,
        /** The rendered template alone, for base models without a chat format. */
        NONE
    }

    /**
     * What to build.
     *
     * @param files           labelled CSV/TSV/JSONL/JSON files, read in order
     * @param policy          the policy rendered into every prompt
     * @param template        paper or detailed rendering
     * @param chat            chat wrapping of the rendered prompt
     * @param balance         downsample the larger of safe/unsafe to the size of the smaller (over all levels)
     * @param maxPromptTokens drop rows whose model input is longer; null keeps every row
     * @param seed            seed of the balancing draw
     * @param overrides       column overrides applied to every file (null = detect everything)
     * @param onBadRow        fail at the first unusable row, or skip and count it
     */
    public record Options(List<Path> files, Policy policy, TemplateKind template, ChatFormat chat, boolean balance,
                          Integer maxPromptTokens, long seed, MappingOverrides overrides, BadRowPolicy onBadRow) {
        public Options {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("at least one input file is needed");
            }
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(chat, "chat");
            if (maxPromptTokens != null && maxPromptTokens < 1) {
                throw new IllegalArgumentException("maxPromptTokens must be at least 1, was " + maxPromptTokens);
            }
            overrides = overrides == null ? MappingOverrides.NONE : overrides;
            onBadRow = onBadRow == null ? BadRowPolicy.FAIL : onBadRow;
        }
    }

    /** Safe and unsafe rows of one level in the output. */
    public record LevelCounts(int safe, int unsafe) {
        public int total() {
            return safe + unsafe;
        }
    }

    /**
     * What happened to the rows.
     *
     * @param rowsIn            data rows read from all files (usable and bad)
     * @param droppedBad        rows the reader could not use (only with {@code --on-bad-row skip})
     * @param droppedUnlabelled usable rows without a gold label (nothing to reward)
     * @param droppedOverLong   rows whose model input exceeded {@code maxPromptTokens}
     * @param droppedByBalance  rows left out to balance safe and unsafe
     * @param promptLevel       the output's prompt-level rows
     * @param responseLevel     the output's response-level rows
     * @param maxTokens         the longest model input kept, in tokens as counted
     * @param badRows           where the skipped rows were, with why
     */
    public record Report(int rowsIn, int droppedBad, int droppedUnlabelled, int droppedOverLong, int droppedByBalance,
                         LevelCounts promptLevel, LevelCounts responseLevel, int maxTokens, List<Diagnostic> badRows) {
        public Report {
            badRows = List.copyOf(badRows);
        }

        public int rowsOut() {
            return promptLevel.total() + responseLevel.total();
        }
    }

    /** The rows in input order (balancing keeps the order of those it keeps) and the counts. */
    public record Result(List<TrainingRow> rows, Report report) {
        public Result {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Builds the rows.
     *
     * @param tokenCounter counts the tokens of a model input (the model's tokenizer, or {@link
     *                     org.rsafe.prompt.TokenEstimator#estimate})
     * @throws UserException for unreadable files, bad rows under {@link BadRowPolicy#FAIL}, and when balancing
     *                       finds one class empty
     */
    public static Result build(Options options, ToIntFunction<String> tokenCounter) {
        Objects.requireNonNull(tokenCounter, "tokenCounter");
        List<TrainingRow> kept = new ArrayList<>();
        List<Diagnostic> bad = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int rowsIn = 0;
        int unlabelled = 0;
        int overLong = 0;
        int maxTokens = 0;
        for (Path file : options.files()) {
            String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
            try (DatasetReader reader = DatasetReader.open(file, options.overrides(), options.onBadRow())) {
                while (reader.hasNext()) {
                    LabelledRow row = reader.next();
                    rowsIn++;
                    if (row.gold() == null) {
                        unlabelled++;
                        continue;
                    }
                    // The form RSafe's training-data script renders: what the checkpoint was trained on.
                    String rendered = PromptRenderer.render(options.policy(), options.template(), row.prompt(),
                            row.response(), PromptRenderer.Form.TRAINING);
                    String modelInput = options.chat() == ChatFormat.QWEN ? ChatTemplate.wrapQwen(rendered) : rendered;
                    int tokens = tokenCounter.applyAsInt(modelInput);
                    if (options.maxPromptTokens() != null && tokens > options.maxPromptTokens()) {
                        overLong++;
                        continue;
                    }
                    maxTokens = Math.max(maxTokens, tokens);
                    kept.add(new TrainingRow(uniqueId(ids, source + ":" + row.id()), modelInput, row.gold(),
                            row.responseLevel() ? TrainingRow.Level.RESPONSE : TrainingRow.Level.PROMPT, source,
                            row.prompt().strip(), row.response() == null ? null : row.response().strip()));
                }
                bad.addAll(reader.badRows());
                rowsIn += reader.badRows().size();
            } catch (IOException e) {
                throw new UserException(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        List<TrainingRow> out = options.balance() ? balance(kept, options.seed()) : kept;
        int[] p = counts(out, TrainingRow.Level.PROMPT);
        int[] r = counts(out, TrainingRow.Level.RESPONSE);
        Report report = new Report(rowsIn, bad.size(), unlabelled, overLong, kept.size() - out.size(),
                new LevelCounts(p[0], p[1]), new LevelCounts(r[0], r[1]), maxTokens, bad);
        return new Result(out, report);
    }

    /** Two files may share a row id (or one file repeat one); a suffix keeps ids unique. */
    private static String uniqueId(Set<String> ids, String id) {
        String candidate = id;
        for (int n = 2; !ids.add(candidate); n++) {
            candidate = id + "#" + n;
        }
        return candidate;
    }

    /**
     * Keeps every row of the smaller class and a seeded uniform sample of the same size from the larger one, in
     * input order. Balancing is over all rows, not per level: RSafe balanced its whole training set.
     */
    static List<TrainingRow> balance(List<TrainingRow> rows, long seed) {
        List<Integer> safe = new ArrayList<>();
        List<Integer> unsafe = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (rows.get(i).label() == Verdict.SAFE ? safe : unsafe).add(i);
        }
        if (safe.isEmpty() || unsafe.isEmpty()) {
            throw new UserException("--balance: the data has " + safe.size() + " safe and " + unsafe.size()
                    + " unsafe rows; balancing needs both (leave out --balance to keep them all)");
        }
        List<Integer> larger = safe.size() > unsafe.size() ? safe : unsafe;
        int n = Math.min(safe.size(), unsafe.size());
        int[] order = new Xoshiro256(seed).permutation(larger.size());
        boolean[] keep = new boolean[rows.size()];
        for (int i : (larger == safe ? unsafe : safe)) {
            keep[i] = true;
        }
        int[] chosen = Arrays.copyOf(order, n);
        for (int c : chosen) {
            keep[larger.get(c)] = true;
        }
        List<TrainingRow> out = new ArrayList<>(2 * n);
        for (int i = 0; i < rows.size(); i++) {
            if (keep[i]) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    private static int[] counts(List<TrainingRow> rows, TrainingRow.Level level) {
        int[] c = new int[2];
        for (TrainingRow r : rows) {
            if (r.level() == level) {
                c[r.label() == Verdict.SAFE ? 0 : 1]++;
            }
        }
        return c;
    }
}
