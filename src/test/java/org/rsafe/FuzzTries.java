package org.rsafe;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets the number of generated cases of the fuzzing properties it is added to ({@code @AddLifecycleHook(FuzzTries.class)}):
 * {@value #DEFAULT} in the normal suite, the system property {@value #PROPERTY} when given ({@code mvn -Pnightly} sets
 * it to 10,000).
 */
public final class FuzzTries implements AroundPropertyHook {
    public static final String PROPERTY = "rsafe.fuzz.tries";
    public static final int DEFAULT = 300;

    /** The tries each fuzzing property runs. */
    public static int tries() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? DEFAULT : Integer.parseInt(v.strip());
    }

    /** Outside jqwik's own hooks, as its {@code @PropertyDefaults} hook is: the tries are read when the run starts. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }

    /** Added to a test class, it reaches every property in it. */
    @Override
    public net.jqwik.api.lifecycle.PropagationMode propagateTo() {
        return net.jqwik.api.lifecycle.PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(tries());
        return property.execute();
    }
}
