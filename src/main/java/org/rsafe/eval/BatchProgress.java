package org.rsafe.eval;

import java.time.Duration;

/**
 * A snapshot of a batch run's progress.
 *
 * @param done           rows finished, including those taken over from an earlier run
 * @param total          rows the run will cover, or -1 when not known
 * @param rowsPerSecond  judging speed of this session (rows taken over are not counted); 0 before the first chunk
 * @param eta            estimated time to finish, or null when it cannot be estimated yet
 * @param skippedResumed rows taken over from an earlier run (skipped, not judged again)
 * @param tokens         tokens generated in this session by an engine that streams them (an LLM); 0 otherwise.
 *                       They show that a chunk is under way long before its rows are done.
 * @param tokensPerSecond generation speed of this session; 0 when no tokens were generated
 */
public record BatchProgress(long done, long total, double rowsPerSecond, Duration eta, long skippedResumed,
                            long tokens, double tokensPerSecond) {

    public BatchProgress(long done, long total, double rowsPerSecond, Duration eta, long skippedResumed) {
        this(done, total, rowsPerSecond, eta, skippedResumed, 0, 0);
    }

    /**
     * A one-line rendering, e.g. {@code 320/1000 rows (32%), 105.3 rows/s, ETA 0:06}; with an LLM also
     * {@code 4096 tokens generated (11.2/s)}.
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(done);
        if (total >= 0) {
            sb.append('/').append(total).append(" rows");
            if (total > 0) {
                sb.append(" (").append(Math.min(100, done * 100 / total)).append("%)");
            }
        } else {
            sb.append(" rows");
        }
        sb.append(", ").append(String.format(java.util.Locale.ROOT, "%.1f", rowsPerSecond)).append(" rows/s");
        sb.append(", ETA ").append(eta == null ? "?" : clock(eta));
        if (tokens > 0) {
            sb.append(", ").append(tokens).append(" tokens generated (")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", tokensPerSecond)).append("/s)");
        }
        if (skippedResumed > 0) {
            sb.append(", ").append(skippedResumed).append(" from earlier run");
        }
        return sb.toString();
    }

    /** h:mm:ss or m:ss. */
    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(java.util.Locale.ROOT, "%d:%02d", m, sec);
    }
}
