package org.rsafe.archprobe.policy;

/** A type of a feature package that a util class must not know. */
public record Finding(String message) {
}
