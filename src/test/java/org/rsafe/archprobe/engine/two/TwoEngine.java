package org.rsafe.archprobe.engine.two;

/** An engine package that another engine package reaches into. */
public final class TwoEngine {
    public static int size() {
        return 2;
    }
}
