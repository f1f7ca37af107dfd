package org.rsafe.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The models a server lists at {@code GET /models}: each id with its {@code owned_by} (vLLM, SGLang and the llama.cpp
 * server name themselves there) and {@code root} (vLLM: the checkpoint the served name stands for).
 */
record ModelList(List<Entry> entries) {

    /** One listed model. */
    record Entry(String id, String ownedBy, String root) { }

    ModelList {
        entries = List.copyOf(entries);
    }

    /** The list in an OpenAI {@code {"object": "list", "data": [...]}} body; empty when the body is not one. */
    static Optional<ModelList> from(JsonNode body) {
        JsonNode data = body == null ? null : body.get("data");
        if (data == null || !data.isArray()) {
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode m : data) {
            String id = m.path("id").asText("");
            if (!id.isEmpty()) {
                entries.add(new Entry(id, m.path("owned_by").asText(""), m.path("root").asText("")));
            }
        }
        return Optional.of(new ModelList(entries));
    }

    /**
     * The entry a user's model name means: the same id, else (as Ollama reads names) the id with the tag
     * {@code :latest}.
     */
    Optional<Entry> find(String name) {
        for (Entry e : entries) {
            if (e.id().equals(name)) {
                return Optional.of(e);
            }
        }
        for (Entry e : entries) {
            if (e.id().equals(name + ":latest")) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The ids, comma-separated, for messages; at most a dozen. */
    String ids() {
        List<String> ids = entries.stream().map(Entry::id).limit(12).toList();
        return String.join(", ", ids) + (entries.size() > 12 ? ", …" : "");
    }
}
