package org.rsafe.ui.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class BackgroundTaskTest {
    private final DirectTaskExecutor executor = new DirectTaskExecutor();

    @Test
    void workThatStopsOnCancellationEndsAsCancelledNotFailed() {
        List<String> events = new ArrayList<>();
        executor.execute(BackgroundTask.of("work", (progress, cancel) -> {
            cancel.cancel();
            cancel.check();
            return "never";
        }).onSuccess(v -> events.add("success"))
                .onFailure(e -> events.add("failure"))
                .onCancelled(() -> events.add("cancelled"))
                .onFinished(() -> events.add("finished")));
        assertThat(events).containsExactly("cancelled", "finished");
    }

    @Test
    void failuresReachTheFailureCallbackWithTheirCause() {
        List<Throwable> errors = new ArrayList<>();
        executor.execute(BackgroundTask.of("work", (progress, cancel) -> {
            throw new java.io.IOException("disk full");
        }).onFailure(errors::add));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("disk full"));
        assertThat(BackgroundTask.isCancellation(new RuntimeException(new CancellationException()))).isTrue();
    }

    @Test
    void progressReportsReachTheProgressCallback() {
        List<Progress> seen = new ArrayList<>();
        executor.execute(BackgroundTask.of("work", (progress, cancel) -> {
            progress.accept(new Progress(1, 4, "one"));
            progress.accept(new Progress(4, 4, "done"));
            return null;
        }).onProgress(seen::add));
        assertThat(seen).extracting(Progress::fraction).containsExactly(0.25, 1.0);
        assertThat(new Progress(3, 0, "").fraction()).isEqualTo(-1);
    }
}
