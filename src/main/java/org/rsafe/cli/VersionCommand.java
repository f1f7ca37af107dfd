package org.rsafe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.rsafe.util.UserException;
import org.rsafe.workspace.PolicyVersion;
import org.rsafe.workspace.RestoreOptions;
import org.rsafe.workspace.RestoreResult;
import org.rsafe.workspace.SaveResult;
import org.rsafe.workspace.Workspace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rsafe version save|log|show|restore}: the version history of policy files. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Save, list, show and restore versions of a policy file.",
            "The workspace is the folder given with --workspace, else the git repository the file is in, else the "
                + "file's own folder (a history is created there on the first save).",
            "Versions are named v1, v2, … (oldest first), latest, HEAD~1 (one before the latest commit), or a "
                + "revision id as 'rsafe version log' prints it."},
        subcommands = {VersionCommand.Save.class, VersionCommand.Log.class, VersionCommand.Show.class,
            VersionCommand.Restore.class})
public final class VersionCommand extends CliCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    @Override
    public Integer call() {
        return showUsage();
    }

    /** What every subcommand takes: the policy file and the workspace that keeps its versions. */
    static final class PolicyFileArgs {
        @Parameters(index = "0", paramLabel = "FILE", description = "The policy file.")
        Path file;

        @Option(names = "--workspace", paramLabel = "DIR",
                description = "Workspace folder (default: the git repository holding the file, else its folder).")
        Path workspace;

        /** The workspace for saving: created when there is none. */
        Workspace openForWriting() {
            if (workspace != null) {
                return Workspace.open(workspace);
            }
            return Workspace.findExisting(file).orElseGet(() -> Workspace.open(file.toAbsolutePath().getParent()));
        }

        /** The workspace for reading: empty when the file has no history anywhere. */
        Optional<Workspace> openForReading() {
            if (workspace != null) {
                if (!Files.isDirectory(workspace)) {
                    throw new UserException(workspace + ": no such workspace folder");
                }
                return Workspace.findExisting(workspace);
            }
            return Workspace.findExisting(file);
        }

        /** The workspace that holds the file's versions; a user error when it has none. */
        Workspace openWithHistory() {
            return openForReading().orElseThrow(() -> new UserException(file + " has no saved versions (it is not "
                    + "in a workspace); save one with 'rsafe version save " + file + "'"));
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "Save the policy file's current text as a new version (nothing happens when it is unchanged).")
    static final class Save extends CliCommand {

        @CommandLine.Mixin
        private PolicyFileArgs policy = new PolicyFileArgs();

        @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "What changed (default: 'Save FILE').")
        private String message;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(policy.file)) {
                throw new UserException(policy.file + ": no such file");
            }
            PrintWriter out = out();
            try (Workspace w = policy.openForWriting()) {
                SaveResult r = w.save(policy.file, message);
                PolicyVersion v = r.version();
                if (r.created()) {
                    out.println("saved " + policy.file.getFileName() + " as " + v.label() + " (" + v.shortId() + "): "
                            + v.summary());
                } else {
                    out.println(policy.file.getFileName() + " is unchanged since " + v.label() + " (" + v.shortId()
                            + "); nothing saved");
                }
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true,
            description = "List the saved versions of a policy file, newest first.")
    static final class Log extends CliCommand {

        @CommandLine.Mixin
        private PolicyFileArgs policy = new PolicyFileArgs();

        @Override
        public Integer call() {
            PrintWriter out = out();
            Optional<Workspace> opened = policy.openForReading();
            if (opened.isEmpty()) {
                out.println(policy.file.getFileName() + " has no saved versions (it is not in a workspace yet); "
                        + "save one with 'rsafe version save " + policy.file + "'");
                out.flush();
                return Main.EXIT_OK;
            }
            try (Workspace w = opened.get()) {
                List<PolicyVersion> history = w.history(policy.file);
                if (history.isEmpty()) {
                    out.println(policy.file.getFileName() + " has no saved versions; save one with 'rsafe version save "
                            + policy.file + "'");
                } else {
                    if (Files.exists(policy.file) && w.hasUnsavedChanges(policy.file)) {
                        out.println("(unsaved changes in " + policy.file.getFileName() + ")");
                    }
                    for (PolicyVersion v : history) {
                        out.printf(Locale.ROOT, "%-5s %s  %s  %s%n", v.label(), v.shortId(), TIME.format(v.time()),
                                v.summary());
                    }
                }
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the policy file's text at a version.")
    static final class Show extends CliCommand {

        @CommandLine.Mixin
        private PolicyFileArgs policy = new PolicyFileArgs();

        @Parameters(index = "1", paramLabel = "REV", defaultValue = "latest",
                description = "The version: v1, v2, …, latest (default), HEAD~1, or a revision id.")
        private String rev;

        @Override
        public Integer call() {
            try (Workspace w = policy.openWithHistory()) {
                PrintWriter out = out();
                out.print(w.showAt(policy.file, rev));
                out.flush();
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put an earlier version's text back into the policy file, and save that as a new version.",
                "Refuses when the file has unsaved changes, unless --force."})
    static final class Restore extends CliCommand {

        @CommandLine.Mixin
        private PolicyFileArgs policy = new PolicyFileArgs();

        @Parameters(index = "1", paramLabel = "REV", description = "The version to restore: v1, v2, …, HEAD~1, an id.")
        private String rev;

        @Option(names = "--no-save", description = "Only write the file; do not save the restore as a new version.")
        private boolean noSave;

        @Option(names = "--force", description = "Overwrite changes to the file that were never saved.")
        private boolean force;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Workspace w = policy.openWithHistory()) {
                RestoreResult r = w.restore(policy.file, rev, new RestoreOptions(!noSave, force));
                PolicyVersion from = r.restored();
                out.print("restored " + policy.file.getFileName() + " to " + from.label() + " (" + from.shortId()
                        + ")");
                out.println(r.newVersion().map(v -> "; saved as " + v.label() + " (" + v.shortId() + ")").orElse(""));
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }
}
