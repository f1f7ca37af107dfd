package org.rsafe.engine.llm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory as the kernel sees it, for leak checks of native (off-heap) tensor memory. */
public final class NativeMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private NativeMemory() { }

    /** Resident set size of this process in bytes (VmRSS), or 0 where /proc is not available. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
