package org.rsafe.util;

import java.util.List;

/**
 * A problem caused by the user's input (a bad file, a wrong flag value), as opposed to a bug. It carries
 * messages ready to show — with file, line and column where known — and never needs a stack trace.
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Diagnostic> diagnostics;

    public UserException(String message) {
        super(message);
        this.diagnostics = List.of();
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
        this.diagnostics = List.of();
    }

    public UserException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "invalid input" : diagnostics.get(0).format());
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Every line to show the user: the diagnostics when present, else the message. */
    public List<String> lines() {
        return diagnostics.isEmpty() ? List.of(getMessage()) : diagnostics.stream().map(Diagnostic::format).toList();
    }
}
