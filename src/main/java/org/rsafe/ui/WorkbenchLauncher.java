package org.rsafe.ui;

import javafx.application.Application;

/**
 * Entry point of {@code app/rsafe-workbench}. A plain class rather than the {@link Application} itself, so the
 * GUI starts with JavaFX on the class path.
 */
public final class WorkbenchLauncher {
    private WorkbenchLauncher() { }

    public static void main(String[] args) throws Exception {
        Application.launch(WorkbenchApp.class, args);
    }
}
