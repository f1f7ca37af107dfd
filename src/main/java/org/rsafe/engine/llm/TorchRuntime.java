package org.rsafe.engine.llm;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Starts DJL's PyTorch engine once per process, after setting up OpenMP the way a shared machine needs.
 *
 * <p>libtorch runs its CPU kernels on OpenMP (libgomp), whose idle workers spin by default. When other
 * processes compete for the cores, a spinning worker takes the core from the very thread it waits for, and
 * every multi-threaded matrix product stalls: measured on 2 cores under a load of about 5, a Qwen2.5-0.5B
 * decode step took 1.3 s with spinning workers and 0.19 s with {@code OMP_WAIT_POLICY=PASSIVE}; idle, the
 * difference is a few microseconds per product. libgomp reads the variable when libtorch is loaded, so it is
 * put into the C environment (not Java's copy of it) before the engine starts. A value the user set is kept;
 * where the C library has no {@code setenv} nothing changes.
 */
final class TorchRuntime {
    static final String ENGINE = "PyTorch";
    static final String WAIT_POLICY = "OMP_WAIT_POLICY";
    private static boolean started;

    private TorchRuntime() { }

    /** The PyTorch engine, started (with passive OpenMP waiting) on first use. */
    static synchronized ai.djl.engine.Engine engine() {
        if (!started) {
            started = true;
            if (System.getenv(WAIT_POLICY) == null) {
                setNativeEnvironment(WAIT_POLICY, "PASSIVE");
            }
        }
        try {
            return ai.djl.engine.Engine.getEngine(ENGINE);
        } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
            throw new org.rsafe.util.UserException(explain(e));
        }
    }

    /**
     * Why PyTorch did not start, in the user's terms. The usual cause is a native library that does not fit the
     * machine: DJL then wants to download one, which offline mode forbids (a GPU build on a machine without an
     * NVIDIA driver ends here too).
     */
    static String explain(Throwable e) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                causes.append(causes.length() == 0 ? "" : ": ").append(t.getMessage().strip());
            }
        }
        boolean wantedDownload = causes.toString().contains("Offline") || causes.toString().contains("index file");
        return "PyTorch could not be started (" + causes + "). "
                + (wantedDownload ? "This build holds no PyTorch native library that fits this machine, and "
                        + "downloading one is switched off (-Dai.djl.offline=true). " : "")
                + "The default build carries the CPU library; a GPU build (mvn -Pgpu-cu124) runs only where an "
                + "NVIDIA driver for CUDA 12.4 or newer is installed. With an external libtorch "
                + "(PYTORCH_LIBRARY_PATH), PYTORCH_VERSION and PYTORCH_FLAVOR must describe it. See README, \"GPU\".";
    }

    private static void setNativeEnvironment(String name, String value) {
        try {
            Function setenv = NativeLibrary.getInstance("c").getFunction("setenv");
            setenv.invokeInt(new Object[] {name, value, 0});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Not a C library with setenv (e.g. Windows): OpenMP keeps its defaults.
        }
    }
}
