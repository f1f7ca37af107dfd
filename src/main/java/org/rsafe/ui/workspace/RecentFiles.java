package org.rsafe.ui.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rsafe.util.AtomicFiles;

/** The most recently opened policy files, newest first, kept in a small text file (one path a line). */
public final class RecentFiles {
    public static final int MAX = 10;
    private final Path store;

    public RecentFiles(Path store) {
        this.store = store;
    }

    /** The stored list; files that no longer exist are left out. An unreadable store reads as empty. */
    public List<Path> load() {
        if (!Files.isRegularFile(store)) {
            return List.of();
        }
        try {
            List<Path> out = new ArrayList<>();
            for (String line : Files.readAllLines(store, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    Path p = Path.of(line.strip());
                    if (Files.exists(p) && !out.contains(p)) {
                        out.add(p);
                    }
                }
            }
            return List.copyOf(out.subList(0, Math.min(MAX, out.size())));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Moves {@code file} to the front, trims the list to {@link #MAX}, saves it, and returns it. */
    public List<Path> add(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        List<Path> list = new ArrayList<>(load());
        list.remove(abs);
        list.add(0, abs);
        List<Path> trimmed = List.copyOf(list.subList(0, Math.min(MAX, list.size())));
        StringBuilder sb = new StringBuilder();
        trimmed.forEach(p -> sb.append(p).append('\n'));
        AtomicFiles.writeString(store, sb.toString());
        return trimmed;
    }
}
