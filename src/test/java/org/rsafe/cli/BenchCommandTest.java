package org.rsafe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void benchQuickPrintsTheFourMeasurements() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench", "quick", "--rows", "6", "--threads", "1",
                "--policy", Path.of("policies", "rsafe-default.yaml").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString())
                .contains("(1) bare encoder:", "texts/s")
                .contains("(2) engine:", "rows/s", "overhead over the bare passes")
                .contains("(3) sentence-level:", "x one whole-text pass")
                .contains("(4) policy edit:", "6 rows re-judged", "1 text re-encoded");
    }

    @Test
    void benchWithoutAnEngineNameIsABadCall() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bench"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(Main.EXIT_USER_ERROR);
        assertThat(err.toString()).contains("rsafe bench quick");
    }
}
