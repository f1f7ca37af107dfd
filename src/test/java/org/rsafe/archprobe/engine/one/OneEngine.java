package org.rsafe.archprobe.engine.one;

import org.rsafe.archprobe.engine.two.TwoEngine;

/** An engine package that uses another engine package, which the engine rule forbids. */
public final class OneEngine {
    public int size() {
        return TwoEngine.size() - 1;
    }
}
