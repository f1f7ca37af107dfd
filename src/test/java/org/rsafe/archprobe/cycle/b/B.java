package org.rsafe.archprobe.cycle.b;

import org.rsafe.archprobe.cycle.a.A;

/** The other half of a package cycle: b uses a. */
public final class B {
    public A partner() {
        return new A();
    }
}
