package org.rsafe.eval;

/**
 * Receives a batch run's progress, on the run's own thread: implementations that update a GUI hand the event to
 * their UI thread (and may throttle). Both methods must return quickly.
 */
public interface BatchListener {
    BatchListener NONE = p -> { };

    /** Called once before the first chunk and after every chunk written to disk. */
    void onProgress(BatchProgress progress);

    /** Called for every newly judged row once it is safely on disk (not for rows skipped on resume). */
    default void onResult(ResultRow row) { }
}
