package org.rsafe.ui;

import java.util.Arrays;
import javafx.application.Application;
import org.rsafe.ui.diag.FxStallBench;

/**
 * Entry point of {@code app/rsafe-workbench}. A plain class rather than the {@link Application} itself, so the
 * GUI starts with JavaFX on the class path. {@code --stall-bench [rows]} runs the FX-thread stall diagnostic.
 */
public final class WorkbenchLauncher {
    private WorkbenchLauncher() { }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--stall-bench")) {
            FxStallBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Application.launch(WorkbenchApp.class, args);
    }
}
