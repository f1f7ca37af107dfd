package org.rsafe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rsafe.engine.gguf.GgufWriter;
import org.rsafe.engine.gguf.Qwen2GgufConverter.FileType;
import org.rsafe.engine.llm.ModelConfig;
import org.rsafe.engine.llm.ModelFolder;
import org.rsafe.engine.llm.RandomModelWriter;
import org.rsafe.train.PeftAdapterWriter;

/**
 * Test fixtures for the GGUF engine: the tiny random model with its weights scaled ×15 (the plain one repeats a
 * single token, which would make every comparison trivially equal), its GGUF conversions, a LoRA adapter, and a
 * minimal chat client for the OpenAI endpoint both engines are served through.
 */
final class GgufFixtures {
    /** 15 × the writer's default standard deviation of 0.02. */
    static final double SCALED_STD = 0.3;
    static final long SEED = 11;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private GgufFixtures() { }

    static Path scaledTiny(Path parent, String name, RandomModelWriter.Options options) {
        Path dir = parent.resolve(name);
        try {
            RandomModelWriter.write(dir, RandomModelWriter.Shape.TINY, SEED, options.withInitStd(SCALED_STD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static Path convert(Path model, FileType type) {
        return ModelConversion.convertModel(model, type, ModelConversion.defaultOut(model, type, false),
                GgufWriter.Progress.NONE).file();
    }

    /** A rank-4 adapter on the attention and MLP projections of both layers, with B large enough to matter. */
    static Path adapter(Path model, Path dir) {
        ModelConfig c;
        try (ModelFolder f = ModelFolder.open(model)) {
            c = f.config();
        }
        var shapes = ModelFolder.expectedShapes(c);
        List<PeftAdapterWriter.Module> modules = new ArrayList<>();
        java.util.Random r = new java.util.Random(5);
        List<String> targets = List.of("self_attn.q_proj", "self_attn.v_proj", "mlp.down_proj");
        int rank = 4;
        for (int layer = 0; layer < c.numLayers(); layer++) {
            for (String t : targets) {
                String module = "model.layers." + layer + "." + t;
                List<Long> s = shapes.get(module + ".weight");
                int out = (int) (long) s.get(0);
                int in = (int) (long) s.get(1);
                float[] a = new float[rank * in];
                float[] b = new float[out * rank];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian() * 0.3f;
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.nextGaussian() * 0.3f;
                }
                modules.add(new PeftAdapterWriter.Module(module, in, out, a, b));
            }
        }
        try {
            PeftAdapterWriter.write(dir, new PeftAdapterWriter.Spec(rank, 8, 0, targets), model.toString(), modules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** One greedy chat completion: the text and the token counts the server reports. */
    record Completion(String text, int promptTokens, int completionTokens, String finishReason) { }

    /** Sends {@code messages} (role, content, role, content, ...) greedily with {@code maxTokens}. */
    static Completion chat(String baseUrl, int maxTokens, String... roleContent) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode msgs = body.putArray("messages");
        for (int i = 0; i < roleContent.length; i += 2) {
            msgs.addObject().put("role", roleContent[i]).put("content", roleContent[i + 1]);
        }
        body.put("temperature", 0).put("max_tokens", maxTokens);
        try {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                    .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode root = JSON.readTree(res.body());
            if (res.statusCode() != 200) {
                throw new AssertionError("HTTP " + res.statusCode() + ": " + res.body());
            }
            JsonNode choice = root.path("choices").get(0);
            return new Completion(choice.path("message").path("content").asText(),
                    root.path("usage").path("prompt_tokens").asInt(), root.path("usage").path("completion_tokens").asInt(),
                    choice.path("finish_reason").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
