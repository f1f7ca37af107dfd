package org.rsafe.train;

import java.nio.file.Path;

/**
 * The files of a GRPO run folder ({@code rsafe train grpo --out DIR}). At the end the folder itself is a PEFT
 * adapter folder (load it with {@code --adapter DIR}); while it runs it holds the log and checkpoints.
 *
 * @param dir the run folder
 */
public record GrpoRunFiles(Path dir) {
    /** The settings the run was started with ({@code name → value}, TRL names). */
    public static final String CONFIG_FILE = "grpo_config.json";

    public Path config() {
        return dir.resolve(CONFIG_FILE);
    }

    public Path log() {
        return dir.resolve(TrainLog.FILE_NAME);
    }

    public Path checkpoints() {
        return dir.resolve(Checkpoint.DIR);
    }
}
