package org.rsafe.engine.remote;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rsafe.engine.DecodingSettings;

/**
 * How decoding settings become the fields of a chat-completions request on a given kind of server: greedy is sent as
 * temperature 0 (every one of these servers takes that as arg-max), {@code top_k} and the repetition penalty only
 * where the server takes them, under the server's own field name.
 */
public final class RequestFields {
    private RequestFields() { }

    /** The decoding fields of a request to a server of {@code kind}, in a stable order. */
    public static Map<String, Object> of(DecodingSettings d, ServerKind kind) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("temperature", d.greedy() ? 0.0 : d.temperature());
        f.put("top_p", d.greedy() ? 1.0 : d.topP());
        if (kind.takesTopK()) {
            f.put("top_k", d.greedy() || d.topK() == 0 ? kind.topKOff() : d.topK());
        }
        if (kind.repetitionPenaltyField() != null) {
            f.put(kind.repetitionPenaltyField(), d.repetitionPenalty());
        }
        f.put("max_tokens", d.maxNewTokens());
        if (!d.greedy()) {
            f.put("seed", d.seed());
        }
        return f;
    }

    /** What the engine identity records: the preset, whether it samples, and every field sent. */
    public static Map<String, String> settings(DecodingSettings d, ServerKind kind) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("decoding", d.preset());
        m.put("do_sample", Boolean.toString(!d.greedy()));
        of(d, kind).forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }
}
