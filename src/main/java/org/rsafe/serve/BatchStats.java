package org.rsafe.serve;

/**
 * How {@code rsafe serve} has batched requests since it started; {@code GET /health} shows it.
 *
 * @param batches      generation calls made
 * @param requests     requests generated in them
 * @param largestBatch most requests in one call
 * @param queued       requests waiting now for the next batch
 */
public record BatchStats(long batches, long requests, int largestBatch, int queued) { }
