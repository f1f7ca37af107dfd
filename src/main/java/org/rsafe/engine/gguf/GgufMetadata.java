package org.rsafe.engine.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key/value metadata of a GGUF file, in file order, each value with its GGUF type. Keys follow llama.cpp's
 * names ({@code general.architecture}, {@code qwen2.block_count}, {@code tokenizer.ggml.tokens}, ...).
 */
public final class GgufMetadata {

    /** GGUF value types with their numbers in the file. */
    public enum ValueType {
        UINT8(0), INT8(1), UINT16(2), INT16(3), UINT32(4), INT32(5), FLOAT32(6), BOOL(7), STRING(8), ARRAY(9),
        UINT64(10), INT64(11), FLOAT64(12);

        final int id;

        ValueType(int id) {
            this.id = id;
        }

        static Optional<ValueType> ofId(int id) {
            for (ValueType t : values()) {
                if (t.id == id) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One value: a scalar (Long for the integer types, Float, Double, Boolean, String) or, for {@code ARRAY}, a
     * List of scalars of {@code elementType}.
     */
    public record Value(ValueType type, ValueType elementType, Object value) { }

    private final Map<String, Value> entries = new LinkedHashMap<>();

    public GgufMetadata putString(String key, String v) {
        return put(key, new Value(ValueType.STRING, null, v));
    }

    public GgufMetadata putUint32(String key, long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(key + " = " + v + " does not fit uint32");
        }
        return put(key, new Value(ValueType.UINT32, null, v));
    }

    public GgufMetadata putFloat32(String key, float v) {
        return put(key, new Value(ValueType.FLOAT32, null, v));
    }

    public GgufMetadata putBool(String key, boolean v) {
        return put(key, new Value(ValueType.BOOL, null, v));
    }

    public GgufMetadata putStrings(String key, List<String> v) {
        return put(key, new Value(ValueType.ARRAY, ValueType.STRING, List.copyOf(v)));
    }

    public GgufMetadata putInt32s(String key, int[] v) {
        Long[] boxed = new Long[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = (long) v[i];
        }
        return put(key, new Value(ValueType.ARRAY, ValueType.INT32, List.of(boxed)));
    }

    public GgufMetadata put(String key, Value v) {
        entries.put(key, v);
        return this;
    }

    public Map<String, Value> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Optional<String> string(String key) {
        Value v = entries.get(key);
        return v != null && v.value() instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** An integer value of any integer type (or a boolean as 0/1). */
    public Optional<Long> integer(String key) {
        Value v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.value() instanceof Long l) {
            return Optional.of(l);
        }
        return v.value() instanceof Boolean b ? Optional.of(b ? 1L : 0L) : Optional.empty();
    }

    public Optional<Double> number(String key) {
        Value v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.value() instanceof Float f) {
            return Optional.of((double) f);
        }
        if (v.value() instanceof Double d) {
            return Optional.of(d);
        }
        return v.value() instanceof Long l ? Optional.of((double) l) : Optional.empty();
    }

    /** The elements of an array value, or empty when the key is absent or not an array. */
    public Optional<List<?>> array(String key) {
        Value v = entries.get(key);
        return v != null && v.value() instanceof List<?> l ? Optional.of(l) : Optional.empty();
    }
}
