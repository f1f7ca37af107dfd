package org.rsafe.engine.quick;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputEmbeddingCacheTest {
    private static final String MODEL = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static TextEmbedding embedding(long seed, int spans, boolean cutSpan) {
        Random r = new Random(seed);
        float[][] s = new float[spans][];
        for (int i = 0; i < spans; i++) {
            s[i] = cutSpan && i == spans - 1 ? null : vector(r);
        }
        return new TextEmbedding(vector(r), vector(r), s, cutSpan, 17 + spans);
    }

    private static float[] vector(Random r) {
        float[] v = new float[SentenceEncoder.DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Vectors.normalize(v);
    }

    private static void assertSame(TextEmbedding a, TextEmbedding b) {
        assertThat(b.whole()).containsExactly(a.whole());
        assertThat(b.mean()).containsExactly(a.mean());
        assertThat(b.spans().length).isEqualTo(a.spans().length);
        for (int i = 0; i < a.spans().length; i++) {
            if (a.spans()[i] == null) {
                assertThat(b.spans()[i]).isNull();
            } else {
                assertThat(b.spans()[i]).containsExactly(a.spans()[i]);
            }
        }
        assertThat(b.truncated()).isEqualTo(a.truncated());
        assertThat(b.tokens()).isEqualTo(a.tokens());
    }

    @Test
    void keysDependOnModelSchemeAndText() {
        String k = InputEmbeddingCache.key(MODEL, "s", "text");
        assertThat(k).hasSize(64).isEqualTo(InputEmbeddingCache.key(MODEL, "s", "text"));
        assertThat(k).isNotEqualTo(InputEmbeddingCache.key(MODEL, "s", "text "))
                .isNotEqualTo(InputEmbeddingCache.key(MODEL, "t", "text"))
                .isNotEqualTo(InputEmbeddingCache.key(MODEL.replace('0', '1'), "s", "text"));
    }

    @Test
    void entriesSurviveAReopenExactly(@TempDir Path dir) {
        TextEmbedding a = embedding(1, 3, false);
        TextEmbedding b = embedding(2, 2, true);
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            c.put("aa".repeat(32), a);
            c.put("bb".repeat(32), b);
        }
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            assertSame(a, c.get("aa".repeat(32)));
            assertSame(b, c.get("bb".repeat(32)));
            assertThat(c.get("cc".repeat(32))).isNull();
            assertThat(c.hits()).isEqualTo(2);
            assertThat(c.misses()).isEqualTo(1);
        }
    }

    @Test
    void twoWritersOnOneFolderEachAddASegmentAndBothAreReadBack(@TempDir Path dir) {
        TextEmbedding a = embedding(3, 1, false);
        TextEmbedding b = embedding(4, 1, false);
        try (InputEmbeddingCache one = InputEmbeddingCache.open(dir, MODEL, 1 << 20);
             InputEmbeddingCache two = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            one.put("aa".repeat(32), a);
            two.put("bb".repeat(32), b);
            one.flush();
            two.flush();
        }
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            assertThat(c.segmentCount()).isEqualTo(2);
            assertSame(a, c.get("aa".repeat(32)));
            assertSame(b, c.get("bb".repeat(32)));
        }
    }

    @Test
    void aDamagedSegmentIsSkippedNotFatal(@TempDir Path dir) throws IOException {
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            c.put("aa".repeat(32), embedding(5, 2, false));
        }
        Path seg;
        try (Stream<Path> s = Files.walk(dir)) {
            seg = s.filter(p -> p.toString().endsWith(".rsqc")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            assertThat(c.segmentCount()).isZero();
            assertThat(c.get("aa".repeat(32))).isNull();
        }
    }

    @Test
    void theSizeCapDropsTheOldestSegments(@TempDir Path dir) {
        long oneEntry;
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, Long.MAX_VALUE)) {
            c.put("00".repeat(32), embedding(0, 4, false));
            c.flush();
            oneEntry = c.diskBytes();
        }
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, oneEntry * 3)) {
            for (int i = 1; i <= 5; i++) {
                c.put(String.format("%02d", i).repeat(32), embedding(i, 4, false));
                c.flush();
            }
            assertThat(c.diskBytes()).isLessThanOrEqualTo(oneEntry * 3);
            assertThat(c.get("00".repeat(32))).isNull();
            assertThat(c.get("05".repeat(32))).isNotNull();
        }
    }

    @Test
    void manySmallSegmentsAreMergedIntoOne(@TempDir Path dir) {
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, Long.MAX_VALUE)) {
            for (int i = 0; i < 60; i++) {
                c.put(String.format("%02x", i).repeat(32), embedding(i, 1, false));
                c.flush();
            }
            assertThat(c.segmentCount()).isLessThan(60);
        }
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, Long.MAX_VALUE)) {
            for (int i = 0; i < 60; i++) {
                assertSame(embedding(i, 1, false), c.get(String.format("%02x", i).repeat(32)));
            }
        }
    }

    @Test
    void segmentsOfOtherModelsAreNotRead(@TempDir Path dir) {
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, MODEL, 1 << 20)) {
            c.put("aa".repeat(32), embedding(6, 1, false));
        }
        try (InputEmbeddingCache c = InputEmbeddingCache.open(dir, "f".repeat(64), 1 << 20)) {
            assertThat(c.get("aa".repeat(32))).isNull();
        }
    }

    @Test
    void aMemoryOnlyCacheWritesNoFiles(@TempDir Path dir) throws IOException {
        try (InputEmbeddingCache c = InputEmbeddingCache.inMemory()) {
            c.put("aa".repeat(32), embedding(7, 1, false));
            assertThat(c.get("aa".repeat(32))).isNotNull();
            assertThat(c.folder()).isNull();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.toList()).isEqualTo(List.of());
        }
    }
}
