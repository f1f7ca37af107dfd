package org.rsafe.ui.workspace;

import java.nio.file.Path;

/**
 * Where the workbench keeps its own files (recent files, recovery copies): {@code -Drsafe.home} when set,
 * else {@code ~/.rsafe-workbench}. Tests point it at a temporary folder.
 */
public record WorkbenchHome(Path dir) {
    public static final String PROPERTY = "rsafe.home";

    public WorkbenchHome {
        dir = dir.toAbsolutePath();
    }

    public static WorkbenchHome fromSystem() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new WorkbenchHome(Path.of(configured));
        }
        return new WorkbenchHome(Path.of(System.getProperty("user.home"), ".rsafe-workbench"));
    }

    public Path recentFiles() {
        return dir.resolve("recent-files.txt");
    }

    public Path recoveryFile() {
        return dir.resolve("recovery").resolve("unsaved-policy.properties");
    }

    public Path batchRuns() {
        return dir.resolve("batch-runs");
    }
}
