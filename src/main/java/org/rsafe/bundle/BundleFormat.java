package org.rsafe.bundle;

import java.util.List;

/**
 * The layout of a bundle, format version {@value #VERSION}: a zip archive holding
 * <pre>
 * manifest.json            what is in the bundle and how it was made; lists the SHA-256 of every other file
 * signature.ed25519        Base64 of the Ed25519 signature of manifest.json's exact bytes, then a line break
 * public-key.pem           the signer's public key (X.509, PEM)
 * policy.yaml              the policy file, byte for byte
 * prompts/*.txt            the exact prompt text the policy renders to, placeholders {prompt}/{response} left in
 * results/results.jsonl    one judged row per line, as the evaluation wrote it
 * results/report.json      the evaluation's metrics
 * results/run.json         what produced the results (policy, data, engine)
 * report.md                a report for people
 * </pre>
 * Everything but the manifest and the signature is listed in the manifest's {@code files}; the signature covers the
 * manifest, so it covers every file.
 */
public final class BundleFormat {
    /** The {@code format} value of every manifest. */
    public static final String FORMAT = "rsafe-bundle";
    /** The one format version this tool writes and reads. */
    public static final int VERSION = 1;
    /** The file-name ending of bundles. */
    public static final String SUFFIX = ".rsafe.zip";

    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "signature.ed25519";
    public static final String PUBLIC_KEY = "public-key.pem";
    public static final String POLICY = "policy.yaml";
    public static final String PROMPTS_DIR = "prompts/";
    public static final String RESULTS = "results/results.jsonl";
    public static final String REPORT_JSON = "results/report.json";
    public static final String RUN_JSON = "results/run.json";
    public static final String REPORT_MD = "report.md";

    /** Files that the manifest does not list: itself and the signature of it. */
    public static final List<String> UNLISTED = List.of(MANIFEST, SIGNATURE);

    private BundleFormat() { }
}
