package org.rsafe.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GUI launcher says in one line what a fresh machine lacks, instead of a JavaFX stack trace. The machine's
 * library cache is replaced by a stand-in {@code ldconfig} on the PATH (a test double for the operating system).
 */
@EnabledOnOs(OS.LINUX)
class LauncherPrerequisitesTest {
    @TempDir
    Path dir;

    @Test
    void withoutGtk3TheLauncherNamesThePackageToInstallAndStops() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ldconfig = bin.resolve("ldconfig");
        Files.writeString(ldconfig, "#!/bin/sh\necho '\tlibgtk-x11-2.0.so.0 (libc6,x86-64) => /lib/libgtk-x11-2.0.so.0'\n");
        Files.setPosixFilePermissions(ldconfig, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result r = launch(bin);

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("needs GTK 3").contains("apt-get install libgtk-3-0");
        assertThat(r.output).doesNotContain("Exception").doesNotContain("building");
    }

    @Test
    void withGtk3ButNoDisplayTheLauncherSaysHowToRunUnderXvfb() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ldconfig = bin.resolve("ldconfig");
        Files.writeString(ldconfig, "#!/bin/sh\necho '\tlibgtk-3.so.0 (libc6,x86-64) => /lib/libgtk-3.so.0'\n");
        Files.setPosixFilePermissions(ldconfig, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result r = launch(bin);

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.output).contains("no display found").contains("xvfb-run -a app/rsafe-workbench");
    }

    @Test
    void aLongLibraryListWithGtk3FirstIsReadWhole() throws Exception {
        // GTK 3 is the first line of a long list: a check that piped the list into "grep -q" under pipefail saw
        // ldconfig die of SIGPIPE once grep had its match, and said GTK 3 was missing.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path ldconfig = bin.resolve("ldconfig");
        Files.writeString(ldconfig, "#!/bin/sh\necho '\tlibgtk-3.so.0 (libc6,x86-64) => /lib/libgtk-3.so.0'\n"
                + "sleep 0.3\ni=0\nwhile [ $i -lt 3000 ]; do echo \"\tlibother$i.so (libc6,x86-64) => /lib/libother$i.so\"; "
                + "i=$((i+1)); done\n");
        Files.setPosixFilePermissions(ldconfig, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result r = launch(bin);

        assertThat(r.output).doesNotContain("needs GTK 3").contains("no display found");
    }

    private record Result(int exit, String output) { }

    private static Result launch(Path fakeBin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "app/rsafe-workbench").redirectErrorStream(true);
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
