package org.rsafe.engine.llm;

import org.rsafe.engine.DecodingSettings;
import java.nio.file.Path;
import java.util.Objects;
import org.rsafe.trace.ClauseRelevance;

/**
 * Settings of the local LLM engine.
 *
 * @param modelDir   a Hugging Face Qwen2 model folder (config.json, tokenizer.json, safetensors)
 * @param adapterDir a PEFT LoRA adapter folder merged into the weights at load, or null
 * @param device     where to run ({@link DeviceChoice#CPU} by default)
 * @param decoding   how tokens are chosen ({@link DecodingSettings#paper()} by default)
 * @param maxBatch   prompts generated together by {@code judgeBatch} (1 = one at a time); 8 by default,
 *                   where a memory-bound CPU decode step costs little more than one row's
 * @param inferredCitations whether trace steps also get the clauses they discuss without naming them; on by
 *                   default, and in effect only when a {@code clauseRelevance} is given
 * @param clauseRelevance what scores trace steps against clauses for those inferred citations (a sentence
 *                   encoder, which this engine does not own); null, the default, means no inferred citations
 * @param precision  the dtype the weights are held in ({@link Precision#FLOAT32} by default; float16 only on request)
 * @param constrainFormat hold every output to RSafe's format ({@code <think>…</think>} then {@code \boxed{safe}} or
 *                   {@code \boxed{unsafe}}; see {@link TextGenerator#withFormatConstraint()}); off by default
 */
public record LlmEngineOptions(Path modelDir, Path adapterDir, DeviceChoice device, DecodingSettings decoding,
        int maxBatch, boolean inferredCitations, ClauseRelevance clauseRelevance, Precision precision,
        boolean constrainFormat) {
    public static final int DEFAULT_MAX_BATCH = 8;

    public LlmEngineOptions {
        Objects.requireNonNull(modelDir, "modelDir");
        device = device == null ? DeviceChoice.CPU : device;
        decoding = decoding == null ? DecodingSettings.paper() : decoding;
        precision = precision == null ? Precision.FLOAT32 : precision;
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
        }
    }

    public static LlmEngineOptions of(Path modelDir) {
        return new LlmEngineOptions(modelDir, null, DeviceChoice.CPU, DecodingSettings.paper(), DEFAULT_MAX_BATCH,
                true, null, Precision.FLOAT32, false);
    }

    public LlmEngineOptions withDecoding(DecodingSettings d) {
        return new LlmEngineOptions(modelDir, adapterDir, device, d, maxBatch, inferredCitations, clauseRelevance,
                precision, constrainFormat);
    }

    public LlmEngineOptions withDevice(DeviceChoice d) {
        return new LlmEngineOptions(modelDir, adapterDir, d, decoding, maxBatch, inferredCitations, clauseRelevance,
                precision, constrainFormat);
    }

    public LlmEngineOptions withAdapter(Path dir) {
        return new LlmEngineOptions(modelDir, dir, device, decoding, maxBatch, inferredCitations, clauseRelevance,
                precision, constrainFormat);
    }

    public LlmEngineOptions withMaxBatch(int n) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, n, inferredCitations, clauseRelevance,
                precision, constrainFormat);
    }

    public LlmEngineOptions withInferredCitations(boolean on) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, maxBatch, on, clauseRelevance, precision,
                constrainFormat);
    }

    public LlmEngineOptions withPrecision(Precision p) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, maxBatch, inferredCitations,
                clauseRelevance, p, constrainFormat);
    }

    public LlmEngineOptions withConstrainFormat(boolean on) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, maxBatch, inferredCitations,
                clauseRelevance, precision, on);
    }

    public LlmEngineOptions withClauseRelevance(ClauseRelevance relevance) {
        return new LlmEngineOptions(modelDir, adapterDir, device, decoding, maxBatch, inferredCitations, relevance,
                precision, constrainFormat);
    }

    /** Whether steps get inferred citations: asked for, and something to score them with. */
    public boolean linksInferredCitations() {
        return inferredCitations && clauseRelevance != null;
    }
}
