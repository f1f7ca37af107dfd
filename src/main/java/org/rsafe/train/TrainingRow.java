package org.rsafe.train;

import java.util.Locale;
import java.util.Objects;
import org.rsafe.trace.Verdict;

/**
 * One row of a GRPO training file ({@code train.jsonl}): the exact text the policy model receives and the gold
 * verdict its completion is rewarded against.
 *
 * <p>JSON schema, one object per line (fields in this order, {@code response} omitted for prompt-level rows):
 * <pre>
 * {"id":"toxic.csv:row-7", "prompt":"&lt;|im_start|&gt;system\n…&lt;|im_start|&gt;assistant\n", "label":"unsafe",
 *  "level":"prompt", "source":"toxic.csv", "input":"the user text", "response":"the judged reply"}
 * </pre>
 *
 * @param id       unique within the file: source file name + ":" + the row's id in that file
 * @param prompt   the model input, verbatim: the rendered guard prompt, chat-wrapped unless built with
 *                 {@code --chat none}; the trainer tokenizes it as is
 * @param label    the gold verdict, SAFE or UNSAFE (the reward compares the boxed answer with its label)
 * @param level    prompt-level (judge the user text) or response-level (judge the reply)
 * @param source   file name of the dataset the row came from
 * @param input    the user text before rendering (for inspection and re-rendering)
 * @param response the judged reply before rendering, or null for a prompt-level row
 */
public record TrainingRow(String id, String prompt, Verdict label, Level level, String source, String input,
                          String response) {

    /** Which RSafe template a row was rendered with. */
    public enum Level {
        PROMPT, RESPONSE;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Level parse(String s) {
            for (Level l : values()) {
                if (l.jsonName().equals(s)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("level must be \"prompt\" or \"response\", was \"" + s + "\"");
        }
    }

    public TrainingRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(level, "level");
        if (label != Verdict.SAFE && label != Verdict.UNSAFE) {
            throw new IllegalArgumentException("a training row's label is safe or unsafe, was " + label);
        }
        if ((response != null) != (level == Level.RESPONSE)) {
            throw new IllegalArgumentException("a response-level row has a response and a prompt-level row has none");
        }
        source = source == null ? "" : source;
        input = input == null ? "" : input;
    }

    /** The gold label as the reward function spells it ("safe" / "unsafe"). */
    public String goldLabel() {
        return label.label();
    }
}
