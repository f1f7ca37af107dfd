package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders as written. Picocli formats help text, and a bare '%' makes it give up on the
 * whole text with a warning on stderr (it happened to "95% interval").
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutAFormattingWarning() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> helps = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            all.forEach(cl -> helps.add(cl.getUsageMessage()));
        } finally {
            System.setErr(saved);
        }

        assertThat(all).hasSizeGreaterThan(20);
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(helps).noneMatch(h -> h.contains("%n") || h.contains("%%"));
    }

    @Test
    void evalHelpShowsThePercentSignOfTheInterval() {
        String help = Main.commandLine().getSubcommands().get("eval").getUsageMessage();

        assertThat(help).contains("bootstrap 95% interval");
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, out));
    }
}
