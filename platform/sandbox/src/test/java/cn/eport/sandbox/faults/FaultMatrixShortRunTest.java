package cn.eport.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault matrix's short run on the system as separate processes, started here from the services'
 * exec jars (built by the reactor before this module: the sandbox depends on every service): 200
 * applications through intake's REST API while card issuance is killed with kill -9, PostgreSQL is
 * shut down immediately and the tax registry is away, with duplicates redelivered and poison of every
 * kind injected. Nothing may be lost, doubled or left stuck. The full matrix is
 * {@link FaultMatrix#main}; its table is printed here too.
 */
class FaultMatrixShortRunTest {

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void losesNothingDoublesNothingAndLeavesNothingStuckThroughAKillADatabaseRestartAndARegistryOutage() throws IOException {
        Path services = Path.of(System.getProperty("eport.services.dir", "../../services"));
        Path home = Path.of("target/fault-matrix-short");
        deleteRecursively(home);

        FaultReport report = FaultMatrix.run(FaultMatrix.Options.shortRun(home, services, 20_261_201L));

        FaultReport.Result result = report.result();
        assertThat(result.accepted()).as(report.text()).isEqualTo(result.offered());
        assertThat(result.lost()).as(report.text()).isZero();
        assertThat(result.doubled()).as(report.text()).isZero();
        assertThat(result.stuck()).as(report.text()).isZero();
        assertThat(result.brokenDecisionLogs()).as(report.text()).isZero();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
