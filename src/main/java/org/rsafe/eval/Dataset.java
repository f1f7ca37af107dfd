package org.rsafe.eval;

import java.util.List;
import java.util.Objects;
import org.rsafe.trace.Verdict;
import org.rsafe.util.Diagnostic;

/**
 * A small dataset read into memory by {@link DatasetReader#readAll}.
 *
 * @param rows    the usable rows in file order
 * @param mapping the column mapping that was applied
 * @param badRows the rows that were skipped, with their positions
 * @param sha256  SHA-256 of the file's bytes as stored (compressed bytes for a .gz file)
 */
public record Dataset(List<LabelledRow> rows, ColumnMapping mapping, List<Diagnostic> badRows, String sha256) {
    public Dataset {
        rows = List.copyOf(rows);
        Objects.requireNonNull(mapping, "mapping");
        badRows = badRows == null ? List.of() : List.copyOf(badRows);
        Objects.requireNonNull(sha256, "sha256");
    }

    public long unsafeCount() {
        return rows.stream().filter(r -> r.gold() == Verdict.UNSAFE).count();
    }

    public long safeCount() {
        return rows.stream().filter(r -> r.gold() == Verdict.SAFE).count();
    }
}
