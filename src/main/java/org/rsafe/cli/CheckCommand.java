package org.rsafe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.rsafe.app.EngineKind;
import org.rsafe.app.EngineSpec;
import org.rsafe.app.Engines;
import org.rsafe.app.Judging;
import org.rsafe.app.SampledEngine;
import org.rsafe.engine.Cancellation;
import org.rsafe.engine.Engine;
import org.rsafe.engine.JudgeListener;
import org.rsafe.engine.JudgeRequest;
import org.rsafe.policy.Clause;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.trace.Citation;
import org.rsafe.trace.CitationAudit;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.TraceStep;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code rsafe check}: judges one prompt (or one response to it) against a policy and prints the verdict and trace. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Judge one prompt, or one response to a prompt, against a policy.",
            "Prints the verdict, every clause's score against its threshold, and the trace.",
            "Exit status: 0 safe, 1 unsafe or no readable answer, 2 bad usage or a broken policy file."})
public final class CheckCommand extends CliCommand {

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy YAML file.")
    private Path policyFile;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The user prompt.")
    private String prompt;

    @Option(names = "--response", paramLabel = "TEXT",
            description = "The assistant response; when given, the response is judged and the prompt is context.")
    private String response;

    @Mixin
    private EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--template", defaultValue = "paper", paramLabel = "paper|detailed",
            description = "llm engine: how the policy is rendered into the prompt (default: ${DEFAULT-VALUE}).")
    private String template;

    @Option(names = "--no-cache", description = "Do not read or write the on-disk embedding cache.")
    private boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Folder of the embedding cache (default: ~/.cache/rsafe-workbench/quick).")
    private Path cacheDir;

    @Option(names = "--json", description = "Print the judgement as JSON.")
    private boolean json;

    @Option(names = "--samples", paramLabel = "K", defaultValue = "1",
            description = "Judge K times with the engine's sampling (one batched generation) and print the share of "
                    + "the majority verdict, which is the verdict given (default: ${DEFAULT-VALUE}; greedy decoding "
                    + "and the quick engine are stable by construction and judge once).")
    private int samples;

    @Override
    public Integer call() {
        TemplateKind kind = switch (template.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "paper" -> TemplateKind.PAPER;
            case "detailed" -> TemplateKind.DETAILED;
            default -> throw new ParameterException(spec.commandLine(),
                    "--template must be paper or detailed, got '" + template + "'");
        };
        Policy policy = PolicyLoader.loadOrThrow(policyFile);
        EngineSpec engineSpec = engineOptions.spec();
        if (cacheDir != null) {
            engineSpec = engineSpec.withCacheDir(cacheDir);
        }
        if (noCache) {
            engineSpec = engineSpec.withDiskCache(false);
        }
        Judgement j;
        try (Engine engine = SampledEngine.over(Engines.open(engineSpec), samples)) {
            j = Judging.judge(engine, new JudgeRequest("check", policy, prompt, response, kind), JudgeListener.NONE,
                    Cancellation.none());
        }
        PrintWriter out = out();
        if (json) {
            out.println(JudgementJson.toPrettyJson(j));
        } else {
            print(out, policy, j, engineSpec.threshold());
        }
        out.flush();
        // An unsafe verdict (or no readable answer) is a finding, whether or not the engine named a clause; REVIEW
        // has its own code, so a script can tell "flagged" from "left to a person".
        return switch (j.verdict()) {
            case SAFE -> Main.EXIT_OK;
            case REVIEW -> Main.EXIT_REVIEW;
            default -> Main.EXIT_FINDINGS;
        };
    }

    static void print(PrintWriter out, Policy policy, Judgement j, double defaultThreshold) {
        out.println("verdict: " + j.verdict().label()
                + (j.flaggedClauses().isEmpty() ? "" : " (" + String.join(", ", j.flaggedClauses()) + ")"));
        out.println("engine: " + j.engine().engine() + " / " + j.engine().modelId() + ", " + j.latencyMillis() + " ms");
        if (j.stability() != null) {
            out.println("stability: " + j.stability().describe());
        }
        boolean similarity = EngineKind.QUICK.cliName().equals(j.engine().engine());
        if (!similarity) {
            out.println("format: " + (j.formatOk() ? "ok" : "not RSafe's <think>...</think> \\boxed{} shape")
                    + "; answer: " + (j.answer() == null ? "none (parse failure)" : j.answer())
                    + "; tokens: " + j.promptTokens() + " prompt, " + j.completionTokens() + " generated");
            out.println();
            out.println("raw output:");
            j.rawOutput().lines().forEach(line -> out.println("  " + line));
        }
        if (!j.clauseScores().isEmpty()) {
            out.println();
            out.println("clause scores:");
        }
        int idWidth = policy.clauses().stream().mapToInt(c -> c.id().length()).max().orElse(2);
        for (Map.Entry<String, Double> e : j.clauseScores().entrySet()) {
            Clause c = policy.clause(e.getKey()).orElseThrow();
            double t = c.threshold() != null ? c.threshold() : defaultThreshold;
            boolean hit = e.getValue() >= t;
            boolean flagged = j.flaggedClauses().contains(c.id());
            out.printf(Locale.ROOT, "  %-" + idWidth + "s  %.3f %s %.3f  %s%s%n", c.id(), e.getValue(), hit ? ">=" : "< ",
                    t, c.title(), flagged ? "   <- flagged" : hit ? "   <- review" : "");
        }
        out.println();
        out.println(similarity ? "trace (similarity judgement, not model reasoning):" : "reasoning steps:");
        for (TraceStep s : j.steps()) {
            out.println("  " + (s.index() + 1) + ". " + s.text());
            for (Citation c : s.citations()) {
                out.printf(Locale.ROOT, "     %s %s (%s, %.2f)%s%n", c.polarity() == Citation.Polarity.RULES_OUT
                        ? "rules out" : "cites", c.clauseId(), c.via().name().toLowerCase(Locale.ROOT), c.strength(),
                        c.invalid() ? "  INVALID: " + c.note() : "");
            }
        }
        String audit = CitationAudit.of(j).summary();
        if (!audit.isEmpty()) {
            out.println("warning: " + audit);
        }
    }
}
