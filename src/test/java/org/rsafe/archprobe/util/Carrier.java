package org.rsafe.archprobe.util;

import org.rsafe.archprobe.policy.Finding;

/** A util class holding a feature package's type, as UserException once held policy.Diagnostic. */
public final class Carrier {
    public Finding finding() {
        return new Finding("x");
    }
}
