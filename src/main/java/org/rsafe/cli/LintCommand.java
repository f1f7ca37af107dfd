package org.rsafe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.app.ExampleLint;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.policy.PolicyLinter;
import org.rsafe.policy.PolicyLoadResult;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.policy.PolicyLinter.LintOptions;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.util.Diagnostic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rsafe lint FILE...}: checks policy files and prints one GCC-style line (or JSON object) per finding. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"Check policy files for mistakes.",
            "Prints file:line:col: error|warning: [rule] message for each finding.",
            "Prints a summary line (files, errors, warnings) on stderr.",
            "Examples as tests: each example of a policy without errors is judged by the quick engine with itself held",
            "out; a disagreement is a warning [example-disagrees] at the example, and each clause's tally",
            "(examples agreeing: k/n) goes to stderr. --no-examples skips this (no engine is loaded).",
            "Exit status: 0 clean (or warnings only), 1 any error (or any warning with --strict), 2 bad usage or a "
                + "file that cannot be read."})
public final class LintCommand extends CliCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy YAML files.")
    private List<Path> files;

    @Option(names = "--strict", description = "Exit with 1 on warnings too.")
    private boolean strict;

    @Option(names = "--token-budget", paramLabel = "N",
            description = "Warn when the rendered prompt is estimated over N tokens (default: ${DEFAULT-VALUE}).")
    private int tokenBudget = LintOptions.DEFAULT_TOKEN_BUDGET;

    @Option(names = "--template", paramLabel = "KIND",
            description = "Rendering checked against the budget: paper (default) or detailed.")
    private String template = "paper";

    @Option(names = "--no-examples", description = "Do not judge the policy's examples with the quick engine.")
    private boolean noExamples;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: text (default) or json (an array of findings).")
    private String format = "text";

    @Override
    public Integer call() {
        if (tokenBudget <= 0) {
            throw usage("--token-budget must be a positive number, got " + tokenBudget);
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw usage("--format must be text or json, got '" + format + "'");
        }
        if (!template.equals("paper") && !template.equals("detailed")) {
            throw usage("--template must be paper or detailed, got '" + template + "'");
        }
        LintOptions options = new LintOptions(tokenBudget,
                template.equals("paper") ? TemplateKind.PAPER : TemplateKind.DETAILED);
        List<Diagnostic> findings = new ArrayList<>();
        List<String> tallies = new ArrayList<>();
        boolean unreadable = false;
        Engine engine = null;
        try {
            for (Path file : files) {
                // A file that is not there (or is a folder) is a usage mistake, as for every other command: exit 2.
                boolean readable = Files.isRegularFile(file) && Files.isReadable(file);
                unreadable |= !readable;
                List<Diagnostic> found = PolicyLinter.lintFile(file, options);
                findings.addAll(found);
                if (noExamples || !readable || found.stream().anyMatch(Diagnostic::isError)) {
                    continue;
                }
                PolicyLoadResult loaded = PolicyLoader.load(file);
                if (loaded.policy() == null) {
                    continue;
                }
                if (engine == null) {
                    engine = Engines.open(EngineSpec.quick());
                }
                ExampleLint.Result r = ExampleLint.check(loaded.policy(), file.toString(), engine, Cancellation.none());
                findings.addAll(r.warnings());
                for (ExampleLint.ClauseTally t : r.clauses()) {
                    tallies.add(file + (t.pos() != null && t.pos().known() ? ":" + t.pos().line() + ":" + t.pos().column()
                            : "") + ": " + t.describe());
                }
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
        long errors = findings.stream().filter(Diagnostic::isError).count();
        long warnings = findings.size() - errors;
        PrintWriter out = out();
        if (format.equals("json")) {
            out.println(toJson(findings));
        } else {
            findings.forEach(d -> out.println(d.format()));
            // The summary goes to stderr, so stdout stays a clean list of findings (empty for clean files).
            out.flush();
            PrintWriter err = err();
            tallies.forEach(err::println);
            err.printf("%d file%s, %d error%s, %d warning%s%n", files.size(), files.size() == 1 ? "" : "s",
                    errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
            err.flush();
        }
        out.flush();
        if (unreadable) {
            return Main.EXIT_USER_ERROR;
        }
        return errors > 0 || (strict && warnings > 0) ? Main.EXIT_FINDINGS : Main.EXIT_OK;
    }

    static String toJson(List<Diagnostic> findings) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Diagnostic d : findings) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", d.file());
            row.put("line", d.pos().known() ? d.pos().line() : null);
            row.put("column", d.pos().known() ? d.pos().column() : null);
            row.put("severity", d.severity().label());
            row.put("rule", d.ruleId());
            row.put("message", d.message());
            rows.add(row);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }
}
