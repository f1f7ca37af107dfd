package org.rsafe.ui.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.rsafe.eval.ColumnMapping;
import org.rsafe.eval.DetectedMapping;
import org.rsafe.eval.MappingOverrides;

/**
 * State of the column-mapping dialog: the file's columns and first rows, the column chosen for each role
 * (auto-detected at first), the notes explaining the detection, and the resulting mapping — or, when the
 * choice cannot work, a message saying why.
 */
public final class ColumnMappingViewModel {
    /** The choice meaning "this dataset has no such column". */
    public static final String NONE = "(none)";

    private final Path file;
    private final List<String> header;
    private final List<Map<String, String>> preview;
    private final List<String> detectedFlags;
    private final ObservableList<String> choices = FXCollections.observableArrayList();
    private final ObjectProperty<String> textColumn = new SimpleObjectProperty<>(this, "textColumn");
    private final ObjectProperty<String> responseColumn = new SimpleObjectProperty<>(this, "responseColumn");
    private final ObjectProperty<String> labelColumn = new SimpleObjectProperty<>(this, "labelColumn");
    private final ObjectProperty<String> idColumn = new SimpleObjectProperty<>(this, "idColumn");
    private final ObjectProperty<String> categoriesColumn = new SimpleObjectProperty<>(this, "categoriesColumn");
    private final ObservableList<String> notes = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ColumnMapping> mapping = new ReadOnlyObjectWrapper<>(this, "mapping");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");

    public ColumnMappingViewModel(Path file, List<String> header, List<Map<String, String>> preview, DetectedMapping detected) {
        this.file = Objects.requireNonNull(file);
        this.header = List.copyOf(header);
        this.preview = List.copyOf(preview);
        choices.add(NONE);
        choices.addAll(header);
        ColumnMapping m = detected.mapping();
        detectedFlags = m.labels().flags() ? m.labels().flagColumns() : List.of();
        textColumn.set(orNone(m.textColumn()));
        responseColumn.set(orNone(m.responseColumn()));
        labelColumn.set(orNone(m.labelColumn()));
        idColumn.set(orNone(m.idColumn()));
        categoriesColumn.set(orNone(m.categoriesColumn()));
        notes.setAll(detected.notes());
        mapping.set(m.textColumn() == null ? null : m);
        problem.set(m.textColumn() == null ? "Choose the column that holds the text to judge." : "");
        for (ObjectProperty<String> p : List.of(textColumn, responseColumn, labelColumn, idColumn, categoriesColumn)) {
            p.addListener((obs, old, now) -> recompute());
        }
    }

    private static String orNone(String column) {
        return column == null ? NONE : column;
    }

    /** Re-runs detection with every role fixed as chosen, so label values (inverted, keyed) are re-read. */
    private void recompute() {
        if (NONE.equals(textColumn.get()) || textColumn.get() == null) {
            mapping.set(null);
            problem.set("Choose the column that holds the text to judge.");
            return;
        }
        boolean useFlags = NONE.equals(labelColumn.get()) && !detectedFlags.isEmpty();
        MappingOverrides overrides = new MappingOverrides(
                override(idColumn.get()), override(textColumn.get()), override(responseColumn.get()),
                useFlags ? null : override(labelColumn.get()), override(categoriesColumn.get()),
                null, null, useFlags ? detectedFlags : null);
        try {
            DetectedMapping d = ColumnMapping.detect(header, preview, overrides);
            mapping.set(d.mapping());
            notes.setAll(d.notes());
            problem.set("");
        } catch (RuntimeException e) {
            // Two roles on one column, or a column the file lacks: the user fixes the choice.
            mapping.set(null);
            problem.set(e.getMessage());
        }
    }

    private static String override(String choice) {
        return choice == null || NONE.equals(choice) ? "none" : choice;
    }

    public Path file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public List<Map<String, String>> preview() {
        return preview;
    }

    /** The choices of every role combo: {@link #NONE} then the header. */
    public ObservableList<String> choices() {
        return choices;
    }

    public ObjectProperty<String> textColumnProperty() {
        return textColumn;
    }

    public ObjectProperty<String> responseColumnProperty() {
        return responseColumn;
    }

    public ObjectProperty<String> labelColumnProperty() {
        return labelColumn;
    }

    public ObjectProperty<String> idColumnProperty() {
        return idColumn;
    }

    public ObjectProperty<String> categoriesColumnProperty() {
        return categoriesColumn;
    }

    public ObservableList<String> notes() {
        return notes;
    }

    /** The mapping the choices give, or null while they cannot work. */
    public ReadOnlyObjectProperty<ColumnMapping> mappingProperty() {
        return mapping.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }
}
