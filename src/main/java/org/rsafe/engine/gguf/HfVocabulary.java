package org.rsafe.engine.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.util.UserException;

/**
 * The tokenizer of a Hugging Face byte-level BPE model folder as llama.cpp wants it in GGUF metadata
 * ({@code tokenizer.ggml.*}): every id up to the model's vocab_size with its text and type (ids without a token
 * become {@code [PADn]} placeholders, as llama.cpp's converter does), the merges, the pre-tokenizer name, the
 * special token ids and the chat template. Read from tokenizer.json, tokenizer_config.json and config.json.
 */
public final class HfVocabulary {
    /** llama.cpp's token types. */
    static final int NORMAL = 1;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    /** Qwen2's pre-tokenizer split pattern, which llama.cpp calls {@code qwen2}. */
    static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> tokens;
    private final int[] tokenTypes;
    private final List<String> merges;
    private final String pre;
    private final Map<String, Integer> specialIds;
    private final boolean addBos;
    private final String chatTemplate;

    private HfVocabulary(List<String> tokens, int[] tokenTypes, List<String> merges, String pre,
                         Map<String, Integer> specialIds, boolean addBos, String chatTemplate) {
        this.tokens = tokens;
        this.tokenTypes = tokenTypes;
        this.merges = merges;
        this.pre = pre;
        this.specialIds = specialIds;
        this.addBos = addBos;
        this.chatTemplate = chatTemplate;
    }

    /** Reads the tokenizer files of {@code modelDir} for a model whose embedding has {@code vocabSize} rows. */
    public static HfVocabulary read(Path modelDir, int vocabSize) {
        Path tokenizerFile = modelDir.resolve("tokenizer.json");
        JsonNode tok = readJson(tokenizerFile, true);
        JsonNode tokConfig = readJson(modelDir.resolve("tokenizer_config.json"), false);
        JsonNode config = readJson(modelDir.resolve("config.json"), false);
        JsonNode model = tok.path("model");
        if (!model.path("type").asText("BPE").equals("BPE") || !model.path("vocab").isObject()) {
            throw new UserException(tokenizerFile + ": model.type is \"" + model.path("type").asText()
                    + "\"; only byte-level BPE tokenizers (Qwen2's kind) convert to GGUF");
        }
        String pre = preTokenizerName(tokenizerFile, tok.path("pre_tokenizer"));

        String[] byId = new String[vocabSize];
        Map<String, Integer> idOf = new HashMap<>();
        var fields = model.path("vocab").fields();
        while (fields.hasNext()) {
            var e = fields.next();
            int id = e.getValue().asInt(-1);
            checkId(tokenizerFile, e.getKey(), id, vocabSize);
            byId[id] = e.getKey();
            idOf.put(e.getKey(), id);
        }
        int[] types = new int[vocabSize];
        for (JsonNode added : tok.path("added_tokens")) {
            int id = added.path("id").asInt(-1);
            String content = added.path("content").asText();
            checkId(tokenizerFile, content, id, vocabSize);
            byId[id] = content;
            idOf.put(content, id);
            types[id] = added.path("special").asBoolean(false) || looksSpecial(content) ? CONTROL : USER_DEFINED;
        }
        List<String> tokens = new ArrayList<>(vocabSize);
        for (int i = 0; i < vocabSize; i++) {
            if (byId[i] == null) {
                tokens.add("[PAD" + i + "]");
                types[i] = USER_DEFINED;
            } else {
                tokens.add(byId[i]);
                if (types[i] == 0) {
                    types[i] = NORMAL;
                }
            }
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            if (m.isArray() && m.size() == 2) {
                merges.add(m.get(0).asText() + " " + m.get(1).asText());
            } else {
                merges.add(m.asText());
            }
        }

        Map<String, Integer> special = new HashMap<>();
        for (String kind : List.of("bos", "eos", "unk", "pad")) {
            Integer id = null;
            JsonNode t = tokConfig.path(kind + "_token");
            String content = t.isTextual() ? t.asText() : t.path("content").asText(null);
            if (content != null) {
                id = idOf.get(content);
            }
            if (id == null && config.path(kind + "_token_id").canConvertToInt()) {
                id = config.path(kind + "_token_id").asInt();
            }
            if (id != null) {
                checkId(tokenizerFile, kind + " token", id, vocabSize);
                special.put(kind, id);
            }
        }
        if (!special.containsKey("eos")) {
            throw new UserException(modelDir + ": neither tokenizer_config.json nor config.json names an "
                    + "end-of-sequence token (eos_token / eos_token_id)");
        }
        JsonNode template = tokConfig.path("chat_template");
        String chat = null;
        if (template.isTextual()) {
            chat = template.asText();
        } else if (template.isArray()) {
            for (JsonNode named : template) {
                if (named.path("name").asText().equals("default")) {
                    chat = named.path("template").asText();
                }
            }
        }
        return new HfVocabulary(List.copyOf(tokens), types, List.copyOf(merges), pre, Map.copyOf(special),
                tokConfig.path("add_bos_token").asBoolean(false), chat);
    }

    /** Writes the {@code tokenizer.*} keys. */
    public void addTo(GgufMetadata m) {
        m.putString("tokenizer.ggml.model", "gpt2");
        m.putString("tokenizer.ggml.pre", pre);
        m.putStrings("tokenizer.ggml.tokens", tokens);
        m.putInt32s("tokenizer.ggml.token_type", tokenTypes);
        m.putStrings("tokenizer.ggml.merges", merges);
        putId(m, "tokenizer.ggml.bos_token_id", "bos");
        putId(m, "tokenizer.ggml.eos_token_id", "eos");
        putId(m, "tokenizer.ggml.unknown_token_id", "unk");
        putId(m, "tokenizer.ggml.padding_token_id", "pad");
        m.putBool("tokenizer.ggml.add_bos_token", addBos);
        if (chatTemplate != null) {
            m.putString("tokenizer.chat_template", chatTemplate);
        }
    }

    private void putId(GgufMetadata m, String key, String kind) {
        Integer id = specialIds.get(kind);
        if (id != null) {
            m.putUint32(key, id);
        }
    }

    public List<String> tokens() {
        return tokens;
    }

    public String pre() {
        return pre;
    }

    public Map<String, Integer> specialIds() {
        return specialIds;
    }

    /**
     * llama.cpp's name for the pre-tokenizer: Qwen2's split pattern is {@code qwen2}; a plain byte-level
     * pre-tokenizer with GPT-2's regex is {@code gpt-2}. Anything else would be tokenized differently by
     * llama.cpp than by the model's own tokenizer, so it is refused.
     */
    static String preTokenizerName(Path file, JsonNode pre) {
        String type = pre.path("type").asText("");
        if (type.equals("ByteLevel") && pre.path("use_regex").asBoolean(true)
                && !pre.path("add_prefix_space").asBoolean(false)) {
            return "gpt-2";
        }
        if (type.equals("Sequence")) {
            JsonNode parts = pre.path("pretokenizers");
            if (parts.size() == 2 && parts.get(0).path("type").asText().equals("Split")
                    && QWEN2_SPLIT.equals(parts.get(0).path("pattern").path("Regex").asText())
                    && parts.get(1).path("type").asText().equals("ByteLevel")
                    && !parts.get(1).path("use_regex").asBoolean(true)) {
                return "qwen2";
            }
        }
        throw new UserException(file + ": its pre_tokenizer (" + type + ") is neither Qwen2's split pattern nor "
                + "GPT-2's byte-level one, so llama.cpp would tokenize text differently; not converted");
    }

    /** llama.cpp's converter also treats {@code <|...|>}-style added tokens as control tokens. */
    private static boolean looksSpecial(String content) {
        return content.startsWith("<|") && content.endsWith("|>");
    }

    private static void checkId(Path file, String what, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new UserException(file + ": id " + id + " of " + what + " is outside the model's vocab_size "
                    + vocabSize);
        }
    }

    private static JsonNode readJson(Path file, boolean required) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new UserException("no " + file.getFileName() + " in " + file.getParent()
                        + " (the tokenizer is part of the model)");
            }
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new UserException(file + " must hold a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new UserException(file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"), e);
        }
    }
}
