package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.trace.CitationAudit;
import org.rsafe.trace.Judgement;
import org.rsafe.trace.JudgementJson;
import org.rsafe.trace.OutputParser;
import org.rsafe.util.BoundedFiles;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.StrictUtf8;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rsafe parse}: reads a guard model's raw output and prints the judgement it holds as JSON. */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {"Parse a guard model's raw output (<think>...</think> then \\boxed{safe|unsafe}).",
            "Prints the judgement as JSON: verdict, answer, format_ok, reasoning steps with the clauses they name.",
            "Exit status 0 whenever the output could be read, also when it holds no answer (verdict \"unknown\")."})
public final class ParseCommand extends CliCommand {

    @Option(names = "--policy", required = true, paramLabel = "FILE",
            description = "Policy YAML file whose clause ids and titles the steps are matched against.")
    private Path policyFile;

    @Parameters(paramLabel = "FILE", description = "Raw model output (UTF-8), or - for standard input.")
    private String file;

    @Override
    public Integer call() {
        Policy policy = PolicyLoader.loadOrThrow(policyFile);
        Judgement judgement = OutputParser.parse(readOutput(), policy);
        PrintWriter out = out();
        out.println(JudgementJson.toPrettyJson(judgement));
        out.flush();
        String audit = CitationAudit.of(judgement).summary();
        if (!audit.isEmpty()) {
            // The JSON on stdout stays clean for programs; the finding is for the person reading.
            err().println("rsafe parse: warning: " + audit);
            err().flush();
        }
        return Main.EXIT_OK;
    }

    private String readOutput() {
        String label = file.equals("-") ? "<stdin>" : file;
        byte[] bytes;
        try {
            bytes = file.equals("-") ? System.in.readNBytes((int) BoundedFiles.TEXT_BYTES + 1)
                    : BoundedFiles.readAllBytes(Path.of(file), BoundedFiles.TEXT_BYTES, "a model output");
            if (bytes.length > BoundedFiles.TEXT_BYTES) {
                throw new BoundedFiles.TooLarge(Path.of(label), "a model output", BoundedFiles.TEXT_BYTES);
            }
        } catch (NoSuchFileException e) {
            throw failure(label, "no such file");
        } catch (IOException e) {
            throw failure(label, "cannot read file: " + e.getMessage());
        }
        return StrictUtf8.decode(label, bytes);
    }

    private static UserException failure(String file, String message) {
        return new UserException(List.of(Diagnostic.error(file, SourcePos.UNKNOWN, null, message)));
    }
}
