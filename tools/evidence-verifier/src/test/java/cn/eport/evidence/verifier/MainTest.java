package cn.eport.evidence.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.EvidenceBundle;
import cn.eport.testsupport.LocalTimestampAuthority;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command, on files: a genuine bundle and its trust file are left in {@code target/evidence-bundles/}
 * (with a tampered copy) for trying the jar by hand.
 */
class MainTest {

    private static final Path DIR = Path.of("target", "evidence-bundles");
    private static LocalTimestampAuthority tsa;
    private static Path genuine;
    private static Path trust;
    private static Path tampered;

    private record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void writeBundles() throws Exception {
        tsa = LocalTimestampAuthority.start();
        Files.createDirectories(DIR);
        EvidenceFixture fixture = new EvidenceFixture();
        EvidenceBundle bundle = fixture.build(tsa);
        genuine = Files.write(DIR.resolve("genuine-bundle.json"), EvidenceFixture.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(bundle));
        trust = Files.write(DIR.resolve("trusted-keys.json"), EvidenceFixture.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(fixture.trust()));
        EvidenceBundle changed = EvidenceFixture.withPart(bundle, "tax-check", part -> EvidenceFixture.withEntries(part, entries -> {
            EvidenceBundle.Entry verdict = entries.get(0);
            String text = new String(Base64.getDecoder().decode(verdict.value()), StandardCharsets.UTF_8).replace("APPROVED", "REJECTED");
            entries.set(0, EvidenceFixture.withValue(verdict, text.getBytes(StandardCharsets.UTF_8)));
            return entries;
        }));
        tampered = Files.write(DIR.resolve("tampered-bundle.json"), EvidenceFixture.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(changed));
    }

    @AfterAll
    static void stop() {
        tsa.close();
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGenuineBundleExitsZero() {
        Run run = run(genuine.toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("HOLDS  tax-check: 2 entries", "WARN   bundle: no --trust file").endsWith("The bundle holds.\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aGenuineBundleWithItsTrustFileExitsZeroWithoutWarnings() {
        Run run = run(genuine.toString(), "--trust", trust.toString());

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).doesNotContain("WARN").contains("are the trusted ones").endsWith("The bundle holds.\n");
        assertThat(run(genuine.toString(), "--trust=" + trust).status()).isZero();
    }

    @Test
    void aTamperedBundleExitsOne() {
        Run run = run(tampered.toString(), "--trust", trust.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("FAILS  tax-check entry 2 (cn.eport.verdict.issued.v1 on eport.verdicts.tax) was altered: "
                + "its content does not hash to its place in the chain").containsPattern("The bundle does NOT hold: \\d+ problems\\.\n$");
    }

    @Test
    void unreadableInputAndWrongUsageExitTwo() throws Exception {
        Path notJson = Files.writeString(DIR.resolve("not-json.json"), "{\"format\": \"eport-evidence-bundle/1\", \"services\": [");
        Run broken = run(notJson.toString());
        assertThat(broken.status()).isEqualTo(2);
        assertThat(broken.err()).startsWith("evidence-verifier: " + notJson + ": not a readable evidence bundle: ").doesNotContain("\tat ");
        assertThat(broken.out()).isEmpty();

        assertThat(run(DIR.resolve("no-such-file.json").toString()).err()).contains("no such file");
        assertThat(run().status()).isEqualTo(2);
        assertThat(run(genuine.toString(), "--trust").status()).isEqualTo(2);
        assertThat(run(genuine.toString(), "--colour").err()).contains("unknown option --colour", "usage:");
        assertThat(run(genuine.toString(), genuine.toString()).status()).isEqualTo(2);
        assertThat(run("--help").status()).isZero();

        Path badTrust = Files.writeString(DIR.resolve("bad-trust.json"), "{\"agency\": \"tax\"}");
        Run trustRun = run(genuine.toString(), "--trust", badTrust.toString());
        assertThat(trustRun.status()).isEqualTo(2);
        assertThat(trustRun.err()).contains(badTrust + ": not a readable trust file");

        Path huge = DIR.resolve("huge.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(BundleVerifier.MAX_INPUT_BYTES + 1); // sparse: nothing is written
        }
        try {
            Run refused = run(huge.toString());
            assertThat(refused.status()).isEqualTo(2);
            assertThat(refused.err()).contains("over the limit of 64 MiB, refused");
        } finally {
            Files.delete(huge);
        }
    }
}
