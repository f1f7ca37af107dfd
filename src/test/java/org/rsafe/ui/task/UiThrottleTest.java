package org.rsafe.ui.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UiThrottleTest {
    private final ManualTaskExecutor executor = new ManualTaskExecutor();

    @Test
    void progressOfferedBetweenDeliveriesReachesTheUiOnceAsTheNewestValue() {
        List<Integer> seen = new ArrayList<>();
        UiThrottle<Integer> throttle = UiThrottle.latest(executor, Duration.ofMillis(100), seen::add);
        for (int i = 1; i <= 1000; i++) {
            throttle.offer(i);
        }
        assertThat(executor.pending()).isEqualTo(1);
        executor.fireAll();
        assertThat(seen).containsExactly(1000);
    }

    @Test
    void streamedTextOfferedBetweenDeliveriesArrivesConcatenatedInOrder() {
        List<String> seen = new ArrayList<>();
        UiThrottle<String> throttle = UiThrottle.appending(executor, Duration.ofMillis(50), seen::add);
        throttle.offer("<think>");
        throttle.offer(" step one");
        throttle.offer(".");
        executor.fireAll();
        throttle.offer(" more");
        executor.fireAll();
        assertThat(seen).containsExactly("<think> step one.", " more");
    }

    @Test
    void flushNowDeliversWhatIsPendingWithoutWaiting() {
        List<Integer> seen = new ArrayList<>();
        UiThrottle<Integer> throttle = UiThrottle.latest(executor, Duration.ofSeconds(10), seen::add);
        throttle.offer(7);
        throttle.flushNow();
        assertThat(seen).containsExactly(7);
        executor.fireAll();
        assertThat(seen).containsExactly(7);
    }
}
