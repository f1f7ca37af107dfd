package org.rsafe.engine.llm;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a model folder needs in memory to be loaded and run in a given dtype, worked out from config.json and the
 * safetensors headers before any weight is read, and whether that fits the memory available.
 *
 * <p>The parts: the weights (every stored element, widened to the dtype's bytes); the KV cache of
 * {@code batch × tokens} positions; and working memory: the larger of the load's heap copies (the largest tensor
 * and the fused gate/up matrix pass through Java arrays, and the heap keeps about twice that committed after
 * loading) and a prefill chunk's activations, plus {@value #RUNTIME_BYTES} bytes for libtorch and the JVM
 * themselves. On a random Qwen2.5-0.5B folder this gives 4.1 GB; {@code rsafe bench llm} measured 3.8 GB resident
 * (2026-12-06), and the issue that asked for this check 4.0–4.5 GB.
 *
 * @param dtype        the dtype the weights would be held in
 * @param weightBytes  weights in that dtype
 * @param cacheBytes   keys and values of every layer for {@code batch × tokens} positions
 * @param workingBytes load copies or activations, whichever is larger, plus the runtime itself
 * @param weightElements stored elements (parameters), for sizes in other formats
 * @param batch        sequences generated together
 * @param tokens       positions per sequence (prompt and completion)
 */
public record MemoryNeed(DataType dtype, long weightBytes, long cacheBytes, long workingBytes, long weightElements,
        int batch, int tokens) {
    /** Sequences per batch assumed by the check: the engine's default batch. */
    public static final int DEFAULT_BATCH = LlmEngineOptions.DEFAULT_MAX_BATCH;
    /** Positions per sequence assumed by the check: an RSafe prompt of a policy and a conversation, and its answer. */
    public static final int DEFAULT_TOKENS = 2048;
    /** libtorch's code and arenas and the JVM's own memory, beside the model. */
    static final long RUNTIME_BYTES = 600_000_000L;
    /** Environment variable that turns the refusal off ({@code off}) for a user who knows better. */
    public static final String CHECK_VARIABLE = "RSAFE_MEMORY_CHECK";
    /** Bytes per weight of a GGUF Q8_0 file: blocks of 32 int8 values and one float16 scale. */
    private static final double Q8_0_BYTES_PER_WEIGHT = 34.0 / 32.0;

    public long totalBytes() {
        return weightBytes + cacheBytes + workingBytes;
    }

    /**
     * The need of a model with this config whose stored tensors hold {@code weightElements} values, the largest of
     * them {@code largestTensor}.
     */
    public static MemoryNeed of(ModelConfig c, long weightElements, long largestTensor, DataType dtype, int batch,
            int tokens) {
        long bytes = bytesPerElement(dtype);
        long weights = weightElements * bytes;
        long cache = 2L * c.numLayers() * c.numKvHeads() * c.headDim() * bytes * batch * tokens;
        // Loading: the largest tensor as a float[], or the fused gate/up matrix with one of its parts; the heap keeps
        // about twice the peak committed after the collection that follows the load.
        long gateUp = 2L * c.intermediateSize() * c.hiddenSize();
        long load = 2L * Float.BYTES * Math.max(largestTensor, gateUp + gateUp / 2);
        // A prefill chunk: hidden states and MLP activations per token, and float32 attention scores (with their
        // softmax) against every earlier position; the logits of the batch.
        long chunk = Math.min(Qwen2Model.PREFILL_TOKENS_PER_CHUNK, (long) batch * tokens);
        long activations = Float.BYTES * (chunk * (8L * c.hiddenSize() + 6L * c.intermediateSize()
                + 2L * c.numHeads() * tokens) + 3L * batch * c.vocabSize());
        return new MemoryNeed(dtype, weights, cache, Math.max(load, activations) + RUNTIME_BYTES, weightElements,
                batch, tokens);
    }

    /** The need of an opened folder, from its headers, at the default batch and length. */
    public static MemoryNeed of(ModelFolder folder, DataType dtype) {
        TensorSource t = folder.tensors();
        long largest = t.names().stream().mapToLong(n -> t.info(n).elementCount()).max().orElse(0);
        return of(folder.config(), folder.storedParameterCount(), largest, dtype, DEFAULT_BATCH, DEFAULT_TOKENS);
    }

    /**
     * One line for {@code rsafe model inspect}: the need as float32 on the CPU and whether it fits the memory this
     * machine has available now.
     */
    public static String onThisMachine(ModelFolder folder) {
        MemoryNeed need = of(folder, DataType.FLOAT32);
        long available = availableBytes(Device.cpu());
        String verdict = available < 0 ? "available memory unknown"
                : "this machine has " + gb(available) + " available: " + (need.totalBytes() <= available ? "fits"
                        : "does NOT fit; as a GGUF Q8_0 file it is about " + gb(need.q8Bytes()));
        return "about " + need.describe() + "; " + verdict;
    }

    static long bytesPerElement(DataType dtype) {
        return dtype == DataType.FLOAT32 ? 4 : 2;
    }

    /** "35.1 GB as float32 (weights 30.5 GB, KV cache 1.9 GB for 8 × 2,048 tokens, working memory 2.7 GB)". */
    public String describe() {
        return String.format(Locale.ROOT, "%s as %s (weights %s, KV cache %s for %d × %,d tokens, working memory %s)",
                gb(totalBytes()), dtypeName(dtype), gb(weightBytes), gb(cacheBytes), batch, tokens, gb(workingBytes));
    }

    /** Size of this model as a GGUF Q8_0 file. */
    public long q8Bytes() {
        return (long) (weightElements * Q8_0_BYTES_PER_WEIGHT);
    }

    /**
     * Why the model cannot be loaded with {@code availableBytes} free, with the numbers and the way out; empty when it
     * fits or the available memory is unknown (negative).
     *
     * @param where    "this machine" or "the GPU"
     * @param modelDir the folder, named in the suggested conversion command
     * @param more     further ways out, appended as they are
     */
    public Optional<String> refusal(long availableBytes, String where, Path modelDir, List<String> more) {
        if (availableBytes < 0 || totalBytes() <= availableBytes) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s needs about %s; %s has %s available. Convert it: rsafe model convert %s --to gguf --type q8_0 "
                        + "(a file of about %s) and run that",
                modelDir, describe(), where, gb(availableBytes), modelDir, gb(q8Bytes())));
        more.forEach(m -> sb.append("; ").append(m));
        sb.append(" (").append(CHECK_VARIABLE).append("=off skips this check)");
        return Optional.of(sb.toString());
    }

    /** Whether the user switched the check off. */
    static boolean checkDisabled() {
        return "off".equalsIgnoreCase(System.getenv(CHECK_VARIABLE));
    }

    /**
     * Bytes available on the device: the GPU's free memory as DJL reports it, else the kernel's MemAvailable (capped
     * by the process's cgroup limit); -1 when unknown.
     */
    public static long availableBytes(Device device) {
        if (device.isGpu()) {
            try {
                MemoryUsage usage = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
                return usage.getMax() - usage.getUsed();
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }
        long available = meminfoAvailable(Path.of("/proc/meminfo"));
        long cgroup = cgroupFree(Path.of("/sys/fs/cgroup"));
        if (available < 0) {
            return cgroup;
        }
        return cgroup < 0 ? available : Math.min(available, cgroup);
    }

    /** MemAvailable of a /proc/meminfo-style file in bytes, or -1. */
    static long meminfoAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** A cgroup v2 memory limit minus the memory in use, or -1 where there is no limit. */
    static long cgroupFree(Path cgroupDir) {
        try {
            String max = Files.readString(cgroupDir.resolve("memory.max")).trim();
            if (max.equals("max")) {
                return -1;
            }
            long current = Long.parseLong(Files.readString(cgroupDir.resolve("memory.current")).trim());
            return Math.max(0, Long.parseLong(max) - current);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Decimal gigabytes with one decimal ("30.5 GB"), as disk and RAM sizes are sold. */
    public static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    static String dtypeName(DataType dtype) {
        return dtype.name().toLowerCase(Locale.ROOT);
    }
}
