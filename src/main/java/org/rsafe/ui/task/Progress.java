package org.rsafe.ui.task;

/** How far a task has come: {@code done} of {@code total} units (total 0 when unknown) and a short message. */
public record Progress(long done, long total, String message) {
    public Progress {
        if (done < 0 || total < 0) {
            throw new IllegalArgumentException("progress must not be negative: " + done + "/" + total);
        }
        message = message == null ? "" : message;
    }

    /** Fraction in 0..1, or -1 (indeterminate, as JavaFX progress bars expect) when the total is unknown. */
    public double fraction() {
        return total == 0 ? -1 : Math.min(1.0, (double) done / total);
    }
}
