package org.rsafe.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rsafe.eval.BadRowPolicy;
import org.rsafe.eval.MappingOverrides;
import org.rsafe.util.UserException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The dataset flags shared by every command that reads a labelled data file: column overrides on top of
 * auto-detection, label vocabularies, and what to do with bad rows. Use it with {@code @Mixin}.
 */
public final class DataOptions {

    @Option(names = "--text-col", paramLabel = "COL",
            description = "Column with the user text (default: detected: prompt, text, user_input, question, goal, ...).")
    String textColumn;

    @Option(names = "--response-col", paramLabel = "COL",
            description = "Column with the response to judge (default: detected: response, answer, completion, ...); "
                    + "'none' judges prompts only.")
    String responseColumn;

    @Option(names = "--label-col", paramLabel = "COL",
            description = "Column with the gold label (default: detected: label, gold, is_safe (inverted), harmful, ...).")
    String labelColumn;

    @Option(names = "--id-col", paramLabel = "COL",
            description = "Column with row ids (default: detected: id, idx, index, ...; else row-N); 'none' for row-N.")
    String idColumn;

    @Option(names = "--categories-col", paramLabel = "COL",
            description = "Column with gold categories, 'a;b' or a JSON array (default: detected: categories, category, ...).")
    String categoriesColumn;

    @Option(names = "--unsafe-values", split = ",", paramLabel = "V",
            description = "Label values meaning unsafe, comma-separated (replaces the built-in list; taken literally).")
    List<String> unsafeValues;

    @Option(names = "--safe-values", split = ",", paramLabel = "V",
            description = "Label values meaning safe, comma-separated (replaces the built-in list; taken literally).")
    List<String> safeValues;

    @Option(names = "--flag-cols", split = ",", paramLabel = "COL",
            description = "No label column: a row is unsafe when any of these 0/1 columns is 1; its categories are "
                    + "the columns that are 1 (detected when the data has two or more 0/1 columns and no label).")
    List<String> flagColumns;

    @Option(names = "--on-bad-row", paramLabel = "skip|fail", defaultValue = "fail", converter = PolicyConverter.class,
            description = "fail (default): stop at the first unusable row with its file:line:col; "
                    + "skip: leave such rows out and report them.")
    BadRowPolicy onBadRow = BadRowPolicy.FAIL;

    /** The columns and values the user fixed; everything else is detected. */
    public MappingOverrides overrides() {
        try {
            return new MappingOverrides(idColumn, textColumn, responseColumn, labelColumn, categoriesColumn,
                    unsafeValues, safeValues, flagColumns);
        } catch (IllegalArgumentException e) {
            throw new UserException("--label-col and --flag-cols cannot be combined: " + e.getMessage());
        }
    }

    public BadRowPolicy badRowPolicy() {
        return onBadRow;
    }

    /** How {@code data} is read with these flags and the given row limit, chunk size (null = the engine's) and seed. */
    public org.rsafe.app.DataSettings settings(Path data, Long limit, Integer chunk, long seed) {
        if (limit != null && limit < 1) {
            throw new UserException("--limit must be at least 1, was " + limit);
        }
        if (chunk != null && chunk < 1) {
            throw new UserException("--chunk must be at least 1, was " + chunk);
        }
        return new org.rsafe.app.DataSettings(data, overrides(), onBadRow, limit == null ? 0 : limit,
                chunk == null ? 0 : chunk, seed);
    }

    static final class PolicyConverter implements ITypeConverter<BadRowPolicy> {
        @Override
        public BadRowPolicy convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "skip" -> BadRowPolicy.SKIP;
                case "fail" -> BadRowPolicy.FAIL;
                default -> throw new TypeConversionException("expected skip or fail, got '" + value + "'");
            };
        }
    }
}
