package cn.eport.evidence.verifier;

import cn.eport.contracts.EvidenceBundle;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar evidence-verifier.jar bundle.json [--trust keys.json]}: prints what holds and what
 * fails, then {@code The bundle holds.} or {@code The bundle does NOT hold: N problems.}. Exits 0 when
 * the bundle holds, 1 when a problem is found, 2 when the input cannot be read or the usage is wrong.
 */
public final class Main {

    public static final int HOLDS = 0;
    public static final int PROBLEMS = 1;
    public static final int UNREADABLE = 2;

    static final String USAGE = """
            usage: java -jar evidence-verifier.jar BUNDLE.json [--trust KEYS.json]

              BUNDLE.json       an evidence bundle (GET /api/applications/{id}/evidence), at most 64 MiB; - reads standard input
              --trust KEYS.json a JSON array of the signers' key documents, each as served at
                                GET /eport/keys/{signer}; without it the bundle's own keys are used (with a warning)

            exit status: 0 the bundle holds, 1 a problem was found, 2 unreadable input or wrong usage
            """;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** What {@link #main} does, without exiting: the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String bundleFile = null;
        String trustFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(USAGE);
                return HOLDS;
            } else if (arg.equals("--trust")) {
                if (i + 1 >= args.length) {
                    return usage(err, "--trust needs a file");
                }
                if (trustFile != null) {
                    return usage(err, "--trust is given twice");
                }
                trustFile = args[++i];
            } else if (arg.startsWith("--trust=")) {
                if (trustFile != null) {
                    return usage(err, "--trust is given twice");
                }
                trustFile = arg.substring("--trust=".length());
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                return usage(err, "unknown option " + Text.printable(arg));
            } else if (bundleFile == null) {
                bundleFile = arg;
            } else {
                return usage(err, "one bundle at a time (got " + Text.printable(bundleFile) + " and " + Text.printable(arg) + ")");
            }
        }
        if (bundleFile == null) {
            return usage(err, "no bundle given");
        }
        try {
            EvidenceBundle bundle;
            try {
                bundle = BundleVerifier.readBundle(BundleVerifier.readBounded(path(bundleFile)));
            } catch (UnreadableInputException e) {
                throw new UnreadableInputException(Text.printable(bundleFile) + ": " + e.getMessage());
            }
            List<KeyDocument> trust = null;
            if (trustFile != null) {
                try {
                    trust = BundleVerifier.readTrust(BundleVerifier.readBounded(path(trustFile)));
                } catch (UnreadableInputException e) {
                    throw new UnreadableInputException(Text.printable(trustFile) + ": " + e.getMessage());
                }
            }
            Report report = new BundleVerifier(trust).verify(bundle);
            out.print(report.render());
            out.flush();
            return report.holds() ? HOLDS : PROBLEMS;
        } catch (UnreadableInputException e) {
            err.println("evidence-verifier: " + e.getMessage());
            return UNREADABLE;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            err.println("evidence-verifier: could not finish checking the bundle (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Text.printable(e.getMessage())) + "); nothing was verified");
            return UNREADABLE;
        }
    }

    private static Path path(String file) throws UnreadableInputException {
        try {
            return Path.of(file.equals("-") ? "/dev/stdin" : file);
        } catch (InvalidPathException e) {
            throw new UnreadableInputException("not a file name");
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("evidence-verifier: " + problem);
        err.print(USAGE);
        return UNREADABLE;
    }
}
