package org.rsafe.ui.style;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

/** The AtlantaFX themes the workbench offers; a theme is one user-agent stylesheet for the whole application. */
public enum Theme {
    LIGHT, DARK;

    public void apply() {
        Application.setUserAgentStylesheet(this == LIGHT
                ? new PrimerLight().getUserAgentStylesheet()
                : new PrimerDark().getUserAgentStylesheet());
    }

    /** Our own rules on top of the theme (editor colours, badges, chips). */
    public static String workbenchStylesheet() {
        return java.util.Objects.requireNonNull(Theme.class.getResource("/org/rsafe/ui/workbench.css"), "workbench.css").toExternalForm();
    }
}
