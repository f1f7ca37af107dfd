package org.rsafe.engine.llm;

/** Test setup for tiny models on shared CI machines. */
final class TinyTorch {
    private TinyTorch() { }

    /**
     * One intra-op thread: with matrices of a few thousand elements, handing each operation to a second thread
     * costs more than the arithmetic, and on a loaded 2-core machine the hand-offs stall (measured: 24 ms per
     * decode step with two threads, 3 ms with one).
     */
    static void singleThreaded() {
        DeviceChoice.useCpuThreads(1);
    }
}
