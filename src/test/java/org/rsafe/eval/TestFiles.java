package org.rsafe.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small helpers that write test data files and drain readers. */
final class TestFiles {
    private TestFiles() { }

    static Path write(Path dir, String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    static Path writeBytes(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    static Path gzip(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    static List<LabelledRow> rows(Path file) throws IOException {
        try (DatasetReader r = DatasetReader.open(file, (ColumnMapping) null, BadRowPolicy.FAIL)) {
            List<LabelledRow> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }
}
