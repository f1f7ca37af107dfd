package org.rsafe.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy and sample dataset the workbench opens on first start. The launcher names them with
 * {@code -Drsafe.startPolicy} / {@code -Drsafe.startDataset}; otherwise they are looked up as
 * {@code policies/rsafe-default.yaml} and {@code sample-inputs/prompts.csv} under the working directory and
 * under {@code -Drsafe.appDir}. Either may be null when nothing is found.
 */
public record StartupFiles(Path policy, Path dataset) {
    public static final String POLICY_PROPERTY = "rsafe.startPolicy";
    public static final String DATASET_PROPERTY = "rsafe.startDataset";
    public static final String APP_DIR_PROPERTY = "rsafe.appDir";
    static final String DEFAULT_POLICY = "policies/rsafe-default.yaml";
    static final String DEFAULT_DATASET = "sample-inputs/prompts.csv";

    /**
     * The start files named on the command line ({@code --policy FILE}, {@code --data FILE}; either may be left out),
     * the rest located as {@link #locate()} does.
     *
     * @throws IllegalArgumentException with a one-line message for an unknown argument or a file that does not exist
     */
    public static StartupFiles fromArgs(List<String> args) {
        StartupFiles found = locate();
        Path policy = found.policy();
        Path dataset = found.dataset();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.equals("--policy") && !a.equals("--data")) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; use --policy FILE and --data FILE");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(a + " needs a file");
            }
            Path file = Path.of(args.get(++i)).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(a + " " + args.get(i) + ": no such file");
            }
            if (a.equals("--policy")) {
                policy = file;
            } else {
                dataset = file;
            }
        }
        return new StartupFiles(policy, dataset);
    }

    public static StartupFiles locate() {
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of("").toAbsolutePath());
        String appDir = System.getProperty(APP_DIR_PROPERTY);
        if (appDir != null && !appDir.isBlank()) {
            roots.add(Path.of(appDir));
        }
        return new StartupFiles(find(POLICY_PROPERTY, DEFAULT_POLICY, roots), find(DATASET_PROPERTY, DEFAULT_DATASET, roots));
    }

    private static Path find(String property, String relative, List<Path> roots) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            return Files.isRegularFile(p) ? p.toAbsolutePath() : null;
        }
        for (Path root : roots) {
            Path p = root.resolve(relative);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }
}
