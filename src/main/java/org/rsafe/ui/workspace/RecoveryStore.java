package org.rsafe.ui.workspace;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.rsafe.util.AtomicFiles;

/**
 * Keeps a copy of unsaved policy edits so a crash loses at most a few seconds of work. The copy is one
 * file (written atomically), removed when the user saves or deliberately discards the edits; finding it at
 * start-up therefore means the last session ended with unsaved work.
 */
public final class RecoveryStore {

    /** A recovered edit: the file it belonged to (null for a new, never-saved policy) and its text. */
    public record Recovery(Path originalFile, String text, Instant savedAt) { }

    private final Path file;

    public RecoveryStore(Path file) {
        this.file = file;
    }

    public void save(Path originalFile, String text) throws IOException {
        Properties p = new Properties();
        p.setProperty("original", originalFile == null ? "" : originalFile.toAbsolutePath().toString());
        p.setProperty("savedAt", Instant.now().toString());
        p.setProperty("text", text);
        StringWriter w = new StringWriter();
        p.store(w, "RSafe Workbench unsaved policy edits");
        AtomicFiles.writeString(file, w.toString());
    }

    /** The stored copy, or empty when there is none or it cannot be read. */
    public Optional<Recovery> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            String text = p.getProperty("text");
            if (text == null) {
                return Optional.empty();
            }
            String original = p.getProperty("original", "");
            Instant at;
            try {
                at = Instant.parse(p.getProperty("savedAt", ""));
            } catch (RuntimeException e) {
                at = Instant.EPOCH;
            }
            return Optional.of(new Recovery(original.isEmpty() ? null : Path.of(original), text, at));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    public Path file() {
        return file;
    }
}
