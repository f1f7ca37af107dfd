package org.rsafe.engine.llm;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.rsafe.util.UserException;

/**
 * Where the model runs, as the user asks for it ({@code --device auto|cpu|gpu}), and the device DJL really
 * gives. DJL quietly falls back to the CPU when it cannot load CUDA, so a GPU request is checked against
 * {@code Engine.getGpuCount()} and refused with an explanation instead of running somewhere else.
 */
public enum DeviceChoice {
    /** The first GPU when DJL sees one, else the CPU. */
    AUTO,
    /** The CPU (the default: works everywhere). */
    CPU,
    /** The first CUDA GPU; a user error when DJL sees none. */
    GPU;

    public static DeviceChoice parse(String text) {
        String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "auto" -> AUTO;
            case "cpu" -> CPU;
            case "gpu", "cuda" -> GPU;
            default -> throw new UserException("--device: unknown device '" + text + "'; choose auto, cpu or gpu");
        };
    }

    /** The device to use; for {@link #GPU} throws {@link UserException} when no CUDA GPU is visible to DJL. */
    public Device resolve() {
        int gpus = gpuCount();
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new UserException("no CUDA GPU visible to DJL (Engine.getGpuCount()==0): the PyTorch "
                            + "native library in use is a CPU build or libcudart could not be loaded. Run with "
                            + "--device cpu, or point DJL at a CUDA libtorch (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, "
                            + "PYTORCH_FLAVOR; see the README's GPU section)");
                }
                yield Device.gpu();
            }
        };
    }

    /** GPUs DJL's PyTorch engine can use. */
    public static int gpuCount() {
        return TorchRuntime.engine().getGpuCount();
    }

    /**
     * Sets PyTorch's intra-op threads for this process (CPU work). The default is one per core, the fastest on
     * an idle machine; on a busy one every multi-threaded matrix product waits for its slowest thread, so fewer
     * threads can be faster (see {@link TorchRuntime} for the OpenMP setting that keeps this from collapsing).
     */
    public static void useCpuThreads(int threads) {
        if (threads < 1) {
            throw new UserException("--threads must be at least 1, got " + threads);
        }
        TorchRuntime.engine();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /** PyTorch's current intra-op thread count. */
    public static int cpuThreads() {
        TorchRuntime.engine();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /**
     * Float32 on every device: float16 is far slower on the CPU and can overflow on a GPU (see {@link Precision});
     * it is used only on request.
     */
    public static DataType defaultDataType(Device device) {
        return Precision.FLOAT32.dataType();
    }

    /** "cpu" or "gpu:0 (cu128)"-style text for identities and logs. */
    public static String describe(Device device) {
        if (!device.isGpu()) {
            return "cpu";
        }
        String flavor = System.getProperty("PYTORCH_FLAVOR", System.getenv("PYTORCH_FLAVOR"));
        return "gpu:" + device.getDeviceId() + (flavor == null ? "" : " (" + flavor + ")");
    }
}
