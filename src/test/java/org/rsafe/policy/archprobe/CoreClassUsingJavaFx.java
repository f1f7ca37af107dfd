package org.rsafe.policy.archprobe;

import javafx.beans.property.SimpleStringProperty;

/** Uses JavaFX outside the GUI, on purpose; only ArchitectureTest reads it. */
public final class CoreClassUsingJavaFx {
    public SimpleStringProperty name() {
        return new SimpleStringProperty("x");
    }
}
