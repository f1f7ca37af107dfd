package org.rsafe.bundle;

/**
 * The evaluation gates a bundle must pass to be exported.
 *
 * @param minF1  the lowest unsafe-class F1 accepted, 0..1; null for no gate
 * @param maxFpr the highest false-positive rate accepted, 0..1; null for no gate
 */
public record ExportGates(Double minF1, Double maxFpr) {
    public static final ExportGates NONE = new ExportGates(null, null);

    public ExportGates {
        check("minimum F1", minF1);
        check("maximum false-positive rate", maxFpr);
    }

    private static void check(String what, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(what + " must be from 0 to 1, was " + v);
        }
    }
}
