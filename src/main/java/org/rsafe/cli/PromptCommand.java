package org.rsafe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.rsafe.policy.Policy;
import org.rsafe.policy.PolicyLoader;
import org.rsafe.prompt.ChatTemplate;
import org.rsafe.prompt.PromptRenderer;
import org.rsafe.prompt.TemplateKind;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.Diagnostic;
import org.rsafe.util.SourcePos;
import org.rsafe.util.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code rsafe prompt}: prints the exact text a guard model would receive for a policy and a conversation. */
@Command(name = "prompt", mixinStandardHelpOptions = true,
        description = {"Print the exact guard prompt for a policy and a conversation.",
            "Without --response the prompt-level template is used, with it the response-level one.",
            "The text is printed as is: nothing is added after the template's own final newline."})
public final class PromptCommand extends CliCommand {

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy YAML file.")
    private Path policyFile;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The user prompt.")
    private String prompt;

    @Option(names = "--response", paramLabel = "TEXT", description = "The assistant response to judge.")
    private String response;

    @Option(names = "--template", paramLabel = "KIND", defaultValue = "paper", converter = TemplateKindConverter.class,
            description = "paper (RSafe's template, default) or detailed (descriptions, examples, instructions).")
    private TemplateKind template;

    @Option(names = "--chat", description = "Wrap the prompt in Qwen's chat format, as the model receives it.")
    private boolean chat;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the text to FILE as UTF-8 instead of printing it.")
    private Path output;

    @Override
    public Integer call() {
        Policy policy = PolicyLoader.loadOrThrow(policyFile);
        String text = PromptRenderer.render(policy, template, prompt, response);
        if (chat) {
            text = ChatTemplate.wrapQwen(text);
        }
        if (output != null) {
            try {
                AtomicFiles.writeString(output, text);
            } catch (IOException e) {
                throw new UserException(List.of(Diagnostic.error(output.toString(), SourcePos.UNKNOWN, null,
                        "cannot write file: " + e.getMessage())));
            }
        } else {
            PrintWriter out = out();
            out.print(text);
            out.flush();
        }
        return Main.EXIT_OK;
    }

    /** Accepts the lower-case names users type ({@code paper}, {@code detailed}). */
    static final class TemplateKindConverter implements ITypeConverter<TemplateKind> {
        @Override
        public TemplateKind convert(String value) {
            for (TemplateKind kind : TemplateKind.values()) {
                if (kind.cliName().equalsIgnoreCase(value.strip())) {
                    return kind;
                }
            }
            throw new TypeConversionException("expected paper or detailed, got '" + value + "'");
        }
    }
}
