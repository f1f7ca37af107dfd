package org.rsafe.archprobe.cycle.a;

import org.rsafe.archprobe.cycle.b.B;

/** One half of a package cycle: a uses b. */
public final class A {
    public B partner() {
        return new B();
    }
}
