package org.rsafe.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.rsafe.util.AtomicFiles;
import org.rsafe.util.UserException;

/**
 * A folder whose policy files have a version history: saving a version, listing a file's versions, reading or
 * restoring any of them. The history is kept in a git repository (through JGit) so that it is an ordinary, durable,
 * inspectable record, but callers never deal with git: they pass policy files and version names.
 *
 * <p>Opening a folder that is (inside) a git work tree uses that repository as it is; opening one that is not
 * creates a repository there. Saving commits only the one policy file, whatever else is changed or staged.
 *
 * <p>Version names accepted wherever a revision is asked for:
 * <ul>
 *   <li>{@code v1}, {@code v2}, … — the file's saved versions, oldest first (the n-th commit that changed it);</li>
 *   <li>{@code latest} (or {@code HEAD}) — the latest commit; {@code HEAD~1} — the one before it, and so on;</li>
 *   <li>a revision id, full or abbreviated to at least 4 hex digits, as {@code rsafe version log} shows it;</li>
 *   <li>a branch or tag name, when the folder is a repository the user also works with directly.</li>
 * </ul>
 *
 * <p>Methods are synchronized: one workspace object may be shared by the GUI's background tasks.
 */
public final class Workspace implements AutoCloseable {

    /** The folder, under the workspace root, for the workbench's own files (stored runs); never versioned. */
    public static final String DATA_DIR = ".rsafe";

    private static final Pattern VERSION_NUMBER = Pattern.compile("[vV]([0-9]{1,9})");
    private static final String FALLBACK_NAME = "RSafe Workbench";
    private static final String FALLBACK_EMAIL = "rsafe@localhost";

    private final Repository repo;
    private final Git git;
    private final Path root;

    private Workspace(Repository repo) throws IOException {
        this.repo = repo;
        this.git = new Git(repo);
        this.root = repo.getWorkTree().toPath().toRealPath();
    }

    /**
     * Opens the workspace of a folder: the git repository whose work tree holds it, or a new repository created in
     * it (the folder too, when missing).
     */
    public static Workspace open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UserException(dir + ": not a folder; a workspace is a folder of policy files");
        }
        Optional<Workspace> existing = findExisting(abs);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Files.createDirectories(abs);
            Git.init().setDirectory(abs.toFile()).setInitialBranch("main").call().close();
            return new Workspace(new FileRepositoryBuilder().setWorkTree(abs.toFile()).setMustExist(true).build());
        } catch (IOException | GitAPIException e) {
            throw new UserException("cannot create a workspace in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The workspace whose work tree holds a file or folder, if it is inside one; creates nothing. A bare repository
     * (one without files) does not count.
     */
    public static Optional<Workspace> findExisting(Path fileOrDir) {
        Path start = fileOrDir.toAbsolutePath().normalize();
        while (start != null && !Files.isDirectory(start)) {
            start = start.getParent();
        }
        if (start == null) {
            return Optional.empty();
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(start.toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try {
            Repository repo = builder.setMustExist(true).build();
            if (repo.isBare()) {
                repo.close();
                return Optional.empty();
            }
            return Optional.of(new Workspace(repo));
        } catch (IOException e) {
            throw new UserException("cannot open the version history of " + start + ": " + e.getMessage(), e);
        }
    }

    /**
     * The workspace folder to use for a policy file: {@code explicit} when given, else the root of the repository
     * holding the file, else the file's own folder.
     */
    public static Path locate(Path policyFile, Path explicit) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        Path parent = policyFile.toAbsolutePath().normalize().getParent();
        try (Workspace ws = findExisting(policyFile).orElse(null)) {
            return ws != null ? ws.root() : parent;
        }
    }

    /** The workspace's root folder (the repository's work tree). */
    public Path root() {
        return root;
    }

    /** The folder for the workbench's own files, {@code ROOT/.rsafe}, created with a rule that keeps it unversioned. */
    public Path dataDir() {
        return ensureDataDir(root);
    }

    /** Creates {@code dir/.rsafe} with a {@code .gitignore} that keeps its contents out of any repository. */
    public static Path ensureDataDir(Path dir) {
        Path data = dir.resolve(DATA_DIR);
        Path ignore = data.resolve(".gitignore");
        try {
            if (!Files.exists(ignore)) {
                AtomicFiles.writeString(ignore, "# RSafe Workbench's own files (stored runs): never versioned\n*\n");
            }
        } catch (IOException e) {
            throw new UserException("cannot create " + data + ": " + e.getMessage(), e);
        }
        return data;
    }

    /**
     * Saves the file's current text as a new version with the given message (a default one when blank). Nothing is
     * saved when the text equals the latest version's; other files are never included.
     */
    public synchronized SaveResult save(Path policyFile, String message) {
        String rel = relativePath(policyFile);
        byte[] current = readWorking(policyFile);
        Optional<PolicyVersion> latest = latest(policyFile);
        if (latest.isPresent() && Arrays.equals(current, bytesAtOrNull(Constants.HEAD, rel))) {
            return new SaveResult(latest.get(), false);
        }
        String text = message == null || message.isBlank() ? "Save " + fileName(rel) : message.strip();
        commit(rel, text);
        return new SaveResult(latest(policyFile).orElseThrow(), true);
    }

    /** Every saved version of the file, newest first (numbered from v1, the oldest). Empty when never saved. */
    public synchronized List<PolicyVersion> history(Path policyFile) {
        String rel = relativePath(policyFile);
        List<RevCommit> commits = commitsTouching(rel);
        List<PolicyVersion> out = new ArrayList<>(commits.size());
        int n = commits.size();
        for (RevCommit c : commits) {
            out.add(toVersion(c, n--));
        }
        return out;
    }

    /** The latest saved version of the file, if any. */
    public synchronized Optional<PolicyVersion> latest(Path policyFile) {
        List<PolicyVersion> h = history(policyFile);
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(0));
    }

    /** True when the file's text differs from its latest saved version (or it was never saved). */
    public synchronized boolean hasUnsavedChanges(Path policyFile) {
        String rel = relativePath(policyFile);
        byte[] head = bytesAtOrNull(Constants.HEAD, rel);
        return head == null || !Arrays.equals(head, readWorking(policyFile));
    }

    /**
     * Resolves a version name (see the class comment) for a file. The number of a revision that is not itself a save
     * of the file (e.g. {@code HEAD~1} when that commit changed another file) is that of the save in effect then.
     */
    public synchronized PolicyVersion resolve(Path policyFile, String rev) {
        String rel = relativePath(policyFile);
        String name = rev == null ? "" : rev.strip();
        if (name.isEmpty()) {
            throw new UserException("no version given for " + fileName(rel) + ": use v1, v2, …, latest, HEAD~1 or a "
                    + "revision id from 'rsafe version log'");
        }
        List<RevCommit> commits = commitsTouching(rel);
        Matcher m = VERSION_NUMBER.matcher(name);
        if (m.matches()) {
            int number = Integer.parseInt(m.group(1));
            if (commits.isEmpty()) {
                throw new UserException(fileName(rel) + " has no saved versions yet; save one with 'rsafe version save'");
            }
            if (number < 1 || number > commits.size()) {
                throw new UserException(fileName(rel) + " has " + commits.size() + " saved version(s), v1 to v"
                        + commits.size() + "; there is no " + name);
            }
            return toVersion(commits.get(commits.size() - number), number);
        }
        String gitName = name.equalsIgnoreCase("latest") ? Constants.HEAD : name;
        ObjectId id;
        try {
            id = repo.resolve(gitName + "^{commit}");
        } catch (AmbiguousObjectException e) {
            throw new UserException("'" + name + "' matches more than one revision; give more digits of its id");
        } catch (RevisionSyntaxException | IOException e) {
            id = null;
        }
        if (id == null) {
            throw new UserException("unknown version '" + name + "' of " + fileName(rel) + ": use v1, v2, …, latest, "
                    + "HEAD~1 or a revision id from 'rsafe version log " + fileName(rel) + "'");
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit target = walk.parseCommit(id);
            int number = 0;
            for (int i = 0; i < commits.size(); i++) {
                RevCommit c = walk.parseCommit(commits.get(i));
                if (walk.isMergedInto(c, target)) {
                    number = commits.size() - i;
                    break;
                }
            }
            return toVersion(target, number);
        } catch (IOException e) {
            throw new UserException("cannot read version '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The file's text at a version (UTF-8). */
    public synchronized String showAt(Path policyFile, String rev) {
        return new String(bytesAt(policyFile, rev), StandardCharsets.UTF_8);
    }

    /** The file's bytes at a version. */
    public synchronized byte[] bytesAt(Path policyFile, String rev) {
        PolicyVersion v = resolve(policyFile, rev);
        String rel = relativePath(policyFile);
        byte[] bytes = bytesAtOrNull(v.commitId(), rel);
        if (bytes == null) {
            throw new UserException(fileName(rel) + " does not exist at version " + rev.strip() + " (" + v.shortId() + ")");
        }
        return bytes;
    }

    /**
     * Writes an earlier version's text back into the file, and by default saves that as a new version. Refuses to
     * overwrite changes that were never saved unless {@link RestoreOptions#discardUnsaved()}.
     */
    public synchronized RestoreResult restore(Path policyFile, String rev, RestoreOptions options) {
        String rel = relativePath(policyFile);
        PolicyVersion from = resolve(policyFile, rev);
        byte[] content = bytesAt(policyFile, rev);
        if (!options.discardUnsaved() && Files.exists(policyFile) && hasUnsavedChanges(policyFile)) {
            throw new UserException(fileName(rel) + " has changes that were never saved; save them first "
                    + "('rsafe version save') or discard them (--force)");
        }
        try {
            // The temporary file AtomicFiles renames into place is owner-only; keep the permissions the file had.
            Set<PosixFilePermission> perms = Files.exists(policyFile) && posix()
                    ? Files.getPosixFilePermissions(policyFile) : null;
            AtomicFiles.write(policyFile, out -> out.write(content));
            if (perms != null) {
                Files.setPosixFilePermissions(policyFile, perms);
            }
        } catch (IOException e) {
            throw new UserException("cannot write " + policyFile + ": " + e.getMessage(), e);
        }
        if (!options.saveAsNewVersion()) {
            return new RestoreResult(from, Optional.empty());
        }
        byte[] head = bytesAtOrNull(Constants.HEAD, rel);
        if (head != null && Arrays.equals(head, content)) {
            return new RestoreResult(from, Optional.empty());
        }
        commit(rel, "Restore " + fileName(rel) + " to " + from.label() + " (" + from.shortId() + ")");
        return new RestoreResult(from, latest(policyFile));
    }

    @Override
    public void close() {
        git.close();
        repo.close();
    }

    /** The file's path inside the work tree, with '/' separators; refuses files outside the workspace. */
    String relativePath(Path policyFile) {
        Path abs = policyFile.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        try {
            if (parent != null && Files.isDirectory(parent)) {
                abs = parent.toRealPath().resolve(abs.getFileName());
            }
        } catch (IOException e) {
            // keep the normalized path: the check below still refuses files outside the work tree
        }
        if (!abs.startsWith(root) || abs.equals(root)) {
            throw new UserException(policyFile + ": not inside the workspace " + root
                    + "; move the file there or choose its folder as the workspace (--workspace)");
        }
        Path rel = root.relativize(abs);
        if (rel.startsWith(".git") || rel.startsWith(DATA_DIR)) {
            throw new UserException(policyFile + ": files under " + rel.getName(0) + " are the workspace's own");
        }
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String fileName(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? rel : rel.substring(slash + 1);
    }

    private static byte[] readWorking(Path policyFile) {
        try {
            return org.rsafe.util.BoundedFiles.readAllBytes(policyFile, org.rsafe.util.BoundedFiles.POLICY_BYTES,
                    "a policy file");
        } catch (NoSuchFileException e) {
            throw new UserException(policyFile + ": no such file");
        } catch (IOException e) {
            throw new UserException("cannot read " + policyFile + ": " + e.getMessage(), e);
        }
    }

    private void commit(String rel, String message) {
        PersonIdent who = identity();
        try {
            git.add().addFilepattern(rel).call();
            git.commit().setOnly(rel).setMessage(message).setAuthor(who).setCommitter(who).setSign(Boolean.FALSE)
                    .call();
        } catch (GitAPIException e) {
            throw new UserException("cannot save a version of " + rel + ": " + e.getMessage(), e);
        }
    }

    /** The repository's configured user, else a fixed name: saving must work on a machine never set up for git. */
    private PersonIdent identity() {
        StoredConfig config = repo.getConfig();
        String name = config.getString("user", null, "name");
        String email = config.getString("user", null, "email");
        return new PersonIdent(name == null || name.isBlank() ? FALLBACK_NAME : name,
                email == null || email.isBlank() ? FALLBACK_EMAIL : email);
    }

    /** Commits that changed the file, newest first. */
    private List<RevCommit> commitsTouching(String rel) {
        try {
            if (repo.resolve(Constants.HEAD) == null) {
                return List.of();
            }
            List<RevCommit> out = new ArrayList<>();
            for (RevCommit c : git.log().addPath(rel).call()) {
                out.add(c);
            }
            return Collections.unmodifiableList(out);
        } catch (IOException | GitAPIException e) {
            throw new UserException("cannot read the history of " + rel + ": " + e.getMessage(), e);
        }
    }

    private byte[] bytesAtOrNull(String rev, String rel) {
        try {
            ObjectId id = repo.resolve(rev + "^{commit}");
            if (id == null) {
                return null;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(id);
                try (TreeWalk tw = TreeWalk.forPath(repo, rel, commit.getTree())) {
                    if (tw == null) {
                        return null;
                    }
                    return repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                }
            }
        } catch (IOException e) {
            throw new UserException("cannot read " + rel + " at " + rev + ": " + e.getMessage(), e);
        }
    }

    private static PolicyVersion toVersion(RevCommit c, int number) {
        PersonIdent author = c.getAuthorIdent();
        String who = author == null ? "" : author.getName() + " <" + author.getEmailAddress() + ">";
        Instant when = c.getCommitterIdent() != null ? c.getCommitterIdent().getWhenAsInstant()
                : Instant.ofEpochSecond(c.getCommitTime());
        return new PolicyVersion(number, c.getName(), c.getFullMessage().strip(), when, who.strip());
    }

    @Override
    public String toString() {
        return "Workspace[" + root + "]";
    }
}
