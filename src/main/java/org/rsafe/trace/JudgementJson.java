package org.rsafe.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * JSON form of judgements and their parts: snake_case field names, enums as lower-case words
 * ({@code "unsafe"}, {@code "explicit"}), unknown fields ignored so older readers accept newer files.
 */
public final class JudgementJson {

    private static final ObjectMapper MAPPER = build();

    private JudgementJson() { }

    /**
     * The configured mapper, shared: use it as is (it is thread-safe), or {@code copy()} it before
     * changing any setting.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One-line JSON, suitable for JSON Lines files. */
    public static String toJson(Judgement judgement) {
        try {
            return MAPPER.writeValueAsString(judgement);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a judgement must always serialize", e);
        }
    }

    /** Indented JSON for people to read. */
    public static String toPrettyJson(Judgement judgement) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(judgement);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a judgement must always serialize", e);
        }
    }

    /** Reads a judgement written by {@link #toJson}; throws {@link UncheckedIOException} on malformed JSON. */
    public static Judgement fromJson(String json) {
        try {
            return MAPPER.readValue(json, Judgement.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a judgement: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper build() {
        SimpleModule enums = new SimpleModule("rsafe-trace-enums");
        enums.addSerializer(Verdict.class, new LowerCaseSerializer<>(Verdict.class));
        enums.addDeserializer(Verdict.class, new LowerCaseDeserializer<>(Verdict.class));
        enums.addSerializer(Citation.Kind.class, new LowerCaseSerializer<>(Citation.Kind.class));
        enums.addDeserializer(Citation.Kind.class, new LowerCaseDeserializer<>(Citation.Kind.class));
        enums.addSerializer(Citation.Via.class, new LowerCaseSerializer<>(Citation.Via.class));
        enums.addDeserializer(Citation.Via.class, new LowerCaseDeserializer<>(Citation.Via.class));
        enums.addSerializer(Citation.Polarity.class, new LowerCaseSerializer<>(Citation.Polarity.class));
        enums.addDeserializer(Citation.Polarity.class, new LowerCaseDeserializer<>(Citation.Polarity.class));
        enums.addSerializer(Citation.Problem.class, new LowerCaseSerializer<>(Citation.Problem.class));
        enums.addDeserializer(Citation.Problem.class, new LowerCaseDeserializer<>(Citation.Problem.class));
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(enums)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    private static final class LowerCaseSerializer<E extends Enum<E>> extends JsonSerializer<E> {
        private final Class<E> type;

        LowerCaseSerializer(Class<E> type) {
            this.type = type;
        }

        @Override
        public Class<E> handledType() {
            return type;
        }

        @Override
        public void serialize(E value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }

    private static final class LowerCaseDeserializer<E extends Enum<E>> extends JsonDeserializer<E> {
        private final Class<E> type;

        LowerCaseDeserializer(Class<E> type) {
            this.type = type;
        }

        @Override
        public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            return type.cast(ctxt.handleWeirdStringValue(type, text, "expected one of %s",
                    java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)));
        }
    }
}
