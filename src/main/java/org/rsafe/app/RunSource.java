package org.rsafe.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rsafe.util.Hashing;

/**
 * What produced a result shown to the user: the policy text, the engine and the input (a prompt, a dataset and its
 * columns, the two sides of a comparison), each kept as a digest. A result is out of date as soon as the source the
 * window would use now differs from the one that produced it: {@link #staleness} says which parts changed, in the
 * words the workbench shows beside the greyed result.
 *
 * <p>The policy part is the same digest {@link org.rsafe.workspace.RunStore} keys its runs with
 * ({@link org.rsafe.policy.Policy#sha256()}); an empty policy part means "no usable policy" (it has errors), which
 * never equals the policy of a finished run.
 *
 * @param policy    digest of the policy text, or empty when there is no usable policy
 * @param engine    digest of the engine choice (kind, model, adapter, device, decoding, server)
 * @param input     digest of the input
 * @param inputName what the input is called in the message ("input", "dataset", "choice of A and B")
 */
public record RunSource(String policy, String engine, String input, String inputName) {

    /** The suffix every out-of-date line ends with. */
    public static final String RUN_AGAIN = " changed since this run — Run again";

    /** The parts a result depends on, in the order a message names them. */
    public enum Part { POLICY, ENGINE, INPUT }

    public RunSource {
        policy = policy == null ? "" : policy;
        engine = engine == null ? "" : engine;
        input = input == null ? "" : input;
        inputName = inputName == null || inputName.isBlank() ? "input" : inputName;
    }

    /**
     * The source of a result from already-computed policy digest ({@code null} or empty when the policy is not
     * usable) and the engine and input described by texts that change whenever they do (hashed here).
     */
    public static RunSource of(String policySha256, String engineDescription, String inputDescription, String inputName) {
        return new RunSource(policySha256 == null ? "" : policySha256,
                Hashing.sha256(Objects.requireNonNullElse(engineDescription, "")),
                Hashing.sha256(Objects.requireNonNullElse(inputDescription, "")), inputName);
    }

    /** The parts of {@code now} that differ from this source (empty when the result still stands). */
    public List<Part> changedIn(RunSource now) {
        Objects.requireNonNull(now, "now");
        List<Part> changed = new ArrayList<>(3);
        if (policy.isEmpty() || !policy.equals(now.policy)) {
            changed.add(Part.POLICY);
        }
        if (!engine.equals(now.engine)) {
            changed.add(Part.ENGINE);
        }
        if (!input.equals(now.input)) {
            changed.add(Part.INPUT);
        }
        return changed;
    }

    /**
     * The line shown over a result produced by {@code producedBy} when the window would now use {@code now}, e.g.
     * "policy changed since this run — Run again" or "policy and engine changed since this run — Run again"; empty
     * when there is no result ({@code producedBy} null) or nothing changed.
     */
    public static String staleness(RunSource producedBy, RunSource now) {
        if (producedBy == null || now == null) {
            return "";
        }
        List<String> names = new ArrayList<>(3);
        for (Part p : producedBy.changedIn(now)) {
            names.add(switch (p) {
                case POLICY -> "policy";
                case ENGINE -> "engine";
                case INPUT -> producedBy.inputName();
            });
        }
        if (names.isEmpty()) {
            return "";
        }
        String joined = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        return Character.toUpperCase(joined.charAt(0)) + joined.substring(1) + RUN_AGAIN;
    }
}
