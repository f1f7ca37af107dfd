package org.rsafe.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The per-step training log ({@code train_log.jsonl}): one JSON object per logged step, appended as a complete line
 * and forced to disk, so a run killed at any moment leaves at worst a torn last line, which {@link Tail} ignores and
 * {@link #truncateAfter} removes on resume.
 */
public final class TrainLog implements Closeable {
    public static final String FILE_NAME = "train_log.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final FileChannel channel;

    private TrainLog(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens the log for appending, creating it (and its folder) when missing. */
    public static TrainLog openForAppend(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new TrainLog(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    /** Appends one line in a single write and forces it to disk. */
    public void append(StepMetrics m) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        buf.write(toLine(m).getBytes(StandardCharsets.UTF_8));
        buf.write('\n');
        ByteBuffer bytes = ByteBuffer.wrap(buf.toByteArray());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    static String toLine(StepMetrics m) {
        try {
            // NaN/Infinity are not JSON; a diverged step is written as null so readers still parse the line.
            Map<String, Object> o = m.toJson();
            o.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? null : v);
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Every complete line of a log (a torn last line is skipped). */
    public static List<StepMetrics> readAll(Path file) throws IOException {
        Tail t = new Tail(file);
        return t.poll();
    }

    /**
     * Cuts the log back to the lines of steps ≤ {@code step} (and any torn tail), so a resumed run continues the
     * log exactly where its checkpoint is. Rewritten atomically.
     */
    public static void truncateAfter(Path file, int step) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> keep = new ArrayList<>();
        for (String line : completeLines(Files.readAllBytes(file))) {
            try {
                Map<String, Object> o = JSON.readValue(line, MAP);
                if (o.get("step") instanceof Number n && n.intValue() <= step) {
                    keep.add(line);
                }
            } catch (JsonProcessingException e) {
                // an unreadable line cannot be matched to a step: leave it out
            }
        }
        org.rsafe.util.AtomicFiles.writeString(file, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
    }

    private static List<String> completeLines(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        List<String> lines = new ArrayList<>();
        for (String s : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (!s.isBlank()) {
                lines.add(s);
            }
        }
        return lines;
    }

    /**
     * Follows a log that another thread or process is writing (the GUI's live curves): each {@link #poll()}
     * returns the lines completed since the previous call. A line still being written is left for the next poll;
     * a log that shrank (a resumed run cut it back) is read again from the start.
     */
    public static final class Tail {
        private final Path file;
        private long offset;

        public Tail(Path file) {
            this.file = file;
        }

        /** The steps completed since the last poll, in file order; empty when nothing new (or no file yet). */
        public List<StepMetrics> poll() throws IOException {
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < offset) {
                    offset = 0;
                }
                if (size == offset) {
                    return List.of();
                }
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, size - offset));
                ch.position(offset);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // read what is there
                }
                byte[] bytes = java.util.Arrays.copyOf(buf.array(), buf.position());
                int end = bytes.length;
                while (end > 0 && bytes[end - 1] != '\n') {
                    end--;
                }
                offset += end;
                List<StepMetrics> out = new ArrayList<>();
                for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        out.add(StepMetrics.fromJson(JSON.readValue(line, MAP)));
                    } catch (JsonProcessingException e) {
                        // a damaged line: skip it, keep following
                    }
                }
                return out;
            }
        }
    }
}
