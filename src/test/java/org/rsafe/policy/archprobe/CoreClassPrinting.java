package org.rsafe.policy.archprobe;

/** Prints to standard output from the core, on purpose; only ArchitectureTest reads it. */
public final class CoreClassPrinting {
    public void say() {
        System.out.println("core should not print");
    }
}
