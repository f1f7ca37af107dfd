package org.rsafe.trace;

import java.util.List;

/** One step of a guard's reasoning: its text, its [start, end) character span in the raw output, its citations. */
public record TraceStep(int index, String text, int start, int end, List<Citation> citations) {
    public TraceStep {
        text = text == null ? "" : text;
        citations = citations == null ? List.of() : List.copyOf(citations);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
        }
    }

    public TraceStep withCitations(List<Citation> newCitations) {
        return new TraceStep(index, text, start, end, newCitations);
    }

    public boolean cites(String clauseId) {
        return citations.stream().anyMatch(c -> c.clauseId().equals(clauseId));
    }
}
