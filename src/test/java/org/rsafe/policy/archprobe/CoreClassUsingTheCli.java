package org.rsafe.policy.archprobe;

import org.rsafe.cli.Main;

/** Breaks the layering on purpose (a core package reaching a face); only ArchitectureTest reads it. */
public final class CoreClassUsingTheCli {
    public String name(Main command) {
        return command.toString();
    }
}
