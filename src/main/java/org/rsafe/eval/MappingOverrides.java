package org.rsafe.eval;

import java.util.List;
import java.util.Locale;

/**
 * Columns and label values the user fixed by hand (command-line flags or the GUI's mapping dialog); everything
 * left null is auto-detected. A column given as {@code ""} or {@code "none"} means "this dataset has no such
 * column" (e.g. {@code --response-col none} judges a response-level set at prompt level).
 *
 * @param unsafeValues replaces the unsafe vocabulary when not null (taken literally: no inversion)
 * @param safeValues   replaces the safe vocabulary when not null
 * @param flagColumns  when not null, the label is "unsafe if any of these 0/1 columns is 1"
 */
public record MappingOverrides(String idColumn, String textColumn, String responseColumn, String labelColumn,
                               String categoriesColumn, List<String> unsafeValues, List<String> safeValues,
                               List<String> flagColumns) {

    public static final MappingOverrides NONE = new MappingOverrides(null, null, null, null, null, null, null, null);

    public MappingOverrides {
        unsafeValues = unsafeValues == null || unsafeValues.isEmpty() ? null : List.copyOf(unsafeValues);
        safeValues = safeValues == null || safeValues.isEmpty() ? null : List.copyOf(safeValues);
        flagColumns = flagColumns == null || flagColumns.isEmpty() ? null : List.copyOf(flagColumns);
        if (flagColumns != null && labelColumn != null && !absent(labelColumn)) {
            throw new IllegalArgumentException("give either a label column or flag columns, not both");
        }
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** True when a column override says "no such column". */
    public static boolean absent(String column) {
        return column != null && (column.isBlank() || column.trim().toLowerCase(Locale.ROOT).equals("none"));
    }

    public MappingOverrides withTextColumn(String column) {
        return new MappingOverrides(idColumn, column, responseColumn, labelColumn, categoriesColumn, unsafeValues,
                safeValues, flagColumns);
    }

    public MappingOverrides withLabelColumn(String column) {
        return new MappingOverrides(idColumn, textColumn, responseColumn, column, categoriesColumn, unsafeValues,
                safeValues, flagColumns);
    }

    public MappingOverrides withResponseColumn(String column) {
        return new MappingOverrides(idColumn, textColumn, column, labelColumn, categoriesColumn, unsafeValues,
                safeValues, flagColumns);
    }

    public MappingOverrides withLabelValues(List<String> unsafe, List<String> safe) {
        return new MappingOverrides(idColumn, textColumn, responseColumn, labelColumn, categoriesColumn, unsafe,
                safe, flagColumns);
    }

    public MappingOverrides withFlagColumns(List<String> columns) {
        return new MappingOverrides(idColumn, textColumn, responseColumn, labelColumn, categoriesColumn, unsafeValues,
                safeValues, columns);
    }
}
