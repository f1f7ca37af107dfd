package org.rsafe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/** The fuzzing properties run as many cases as {@link FuzzTries} says. */
@AddLifecycleHook(FuzzTries.class)
class FuzzTriesCountTest {
    private static final AtomicInteger RUNS = new AtomicInteger();

    @Property
    void counted(@ForAll long anything) {
        RUNS.incrementAndGet();
    }

    @AfterContainer
    static void ranTheConfiguredNumber() {
        assertThat(RUNS.get()).isEqualTo(FuzzTries.tries());
    }
}
