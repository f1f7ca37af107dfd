package org.rsafe.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers the requests that arrive together into one {@link ServedModel#generate} call, on a thread of its own.
 *
 * <p>When the model is idle, the first request waits at most {@code waitMillis} for others (it starts at once when
 * {@code maxBatch} have arrived). Requests that arrive while a batch generates wait for it to end, then go together
 * without further waiting. Each request is answered as soon as its own generation ends, not when its batch does. A
 * request cancelled while queued is answered without generating.
 */
final class Batcher {

    private record Pending(ServedModel.Prompt prompt, CompletableFuture<ServedModel.Generation> result) { }

    private final ServedModel model;
    private final int maxBatch;
    private final long waitNanos;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile int largestBatch;
    private volatile boolean closed;

    Batcher(ServedModel model, int maxBatch, int waitMillis) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
        this.thread = new Thread(this::run, "rsafe-serve-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a prompt; the future ends with its generation, or exceptionally when the model failed or we stopped. */
    CompletableFuture<ServedModel.Generation> submit(ServedModel.Prompt prompt) {
        CompletableFuture<ServedModel.Generation> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new CancellationException("the server is shutting down"));
            return result;
        }
        queue.add(new Pending(prompt, result));
        if (closed) {
            // close() may have drained the queue just before this request went in.
            failQueued();
        }
        return result;
    }

    BatchStats stats() {
        return new BatchStats(batches.get(), requests.get(), largestBatch, queue.size());
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                batch.add(queue.take());
                long deadline = System.nanoTime() + waitNanos;
                queue.drainTo(batch, maxBatch - batch.size());
                while (batch.size() < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Pending more = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (more == null) {
                        break;
                    }
                    batch.add(more);
                    queue.drainTo(batch, maxBatch - batch.size());
                }
            } catch (InterruptedException e) {
                break;
            }
            generate(batch);
            batch.clear();
        }
        batch.forEach(p -> p.result.completeExceptionally(new CancellationException("the server is shutting down")));
        failQueued();
    }

    private void generate(List<Pending> batch) {
        List<Pending> live = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (p.prompt.cancellation().isCancelled()) {
                p.result.complete(new ServedModel.Generation("", p.prompt.tokenIds().length, 0,
                        ServedModel.StopReason.CANCELLED));
            } else {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        batches.incrementAndGet();
        requests.addAndGet(live.size());
        largestBatch = Math.max(largestBatch, live.size());
        try {
            List<ServedModel.Generation> out = model.generate(live.stream().map(Batcher::answeredWhenDone).toList());
            for (int i = 0; i < live.size(); i++) {
                live.get(i).result.complete(out.get(i));
            }
        } catch (RuntimeException | Error e) {
            live.forEach(p -> p.result.completeExceptionally(e));
        }
    }

    /** The prompt with a listener that answers its request as soon as it ends, not when its whole batch does. */
    private static ServedModel.Prompt answeredWhenDone(Pending p) {
        ServedModel.TextListener own = p.prompt.listener();
        ServedModel.TextListener listener = new ServedModel.TextListener() {
            @Override
            public void onText(String piece) {
                own.onText(piece);
            }

            @Override
            public void onDone(ServedModel.Generation generation) {
                own.onDone(generation);
                p.result.complete(generation);
            }
        };
        return new ServedModel.Prompt(p.prompt.tokenIds(), p.prompt.decoding(), p.prompt.stop(), listener,
                p.prompt.cancellation());
    }

    private void failQueued() {
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            p.result.completeExceptionally(new CancellationException("the server is shutting down"));
        }
    }

    /**
     * Stops taking batches; queued requests fail with {@link CancellationException}. The batch generating goes on
     * until its prompts end (the caller cancels them first to stop it soon); waits up to {@code waitMillis} for it.
     *
     * @return whether the batch thread ended, so the model is no longer in use
     */
    boolean close(long waitMillis) {
        closed = true;
        thread.interrupt();
        failQueued();
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
