package org.rsafe.ui;

import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.application.Application;

/**
 * Entry point of {@code app/rsafe-workbench}. A plain class rather than the {@link Application} itself, so the
 * GUI starts with JavaFX on the class path.
 */
public final class WorkbenchLauncher {
    /**
     * JavaFX's own logger. At start-up it warns on every launch that it was loaded from the class path ("Unsupported
     * JavaFX configuration"), which is how this launcher runs it on purpose; that one warning is kept out of the
     * user's terminal, and the logger is back to normal once the window opens ({@link #startupDone()}). Held in a
     * field: the logging framework keeps loggers only weakly.
     */
    private static final Logger JAVAFX_LOG = Logger.getLogger("javafx");

    private WorkbenchLauncher() { }

    public static void main(String[] args) throws Exception {
        try {
            StartupFiles.fromArgs(java.util.List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("rsafe-workbench: " + e.getMessage());
            System.exit(2);
        }
        JAVAFX_LOG.setLevel(Level.SEVERE);
        Application.launch(WorkbenchApp.class, args);
    }

    /** Called once the toolkit is up: JavaFX warnings from here on reach the terminal again. */
    static void startupDone() {
        JAVAFX_LOG.setLevel(null);
    }
}
