package cn.eport.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml stays the real deployment of this repository: every service module is in it,
 * with its health check and every setting it cannot start without. A setting is required when its
 * placeholder has no default ({@code ${EPORT_X}}) or an empty one ({@code ${EPORT_X:}}) in the
 * service's own configuration or in a platform default; the database and broker addresses are
 * required because their defaults (localhost) are wrong in any container.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
    private static final Pattern REQUIRED = Pattern.compile("\\$\\{(EPORT_[A-Z0-9_]+)(:)?}");
    private static final String INSTANCE_ID = "EPORT_INSTANCE_ID";
    /** Blank by default on purpose: without a time-stamping authority the decision log's seals are signed, not timestamped. */
    private static final String TIMESTAMP_AUTHORITY = "EPORT_DECISION_LOG_TSA_URL";
    private static final List<String> ADDRESSES = List.of("EPORT_DB_URL", "EPORT_KAFKA_BOOTSTRAP_SERVERS");
    private static final List<String> IDENTITY_PROVIDER = List.of("EPORT_OIDC_ISSUER_URI", "EPORT_JWT_PUBLIC_KEY_LOCATION");

    @Test
    void listsEveryServiceModule() throws IOException {
        assertThat(composeServices().keySet()).containsAll(serviceModules());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceModules")
    void givesEachServiceItsCommandHealthCheckAndEveryRequiredSetting(String module) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) composeServices().get(module);
        assertThat(service).as(module + " in docker-compose.yml").isNotNull();
        assertThat(service.get("command")).isEqualTo(module);
        assertThat(service).containsKey("healthcheck");
        @SuppressWarnings("unchecked")
        Map<String, Object> environment = (Map<String, Object>) service.get("environment");
        Set<String> required = requiredSettings(module);
        // Blank by default on purpose (unset: no static membership); compose's entrypoint sets it to the container's host name.
        required.remove(INSTANCE_ID);
        required.remove(TIMESTAMP_AUTHORITY);
        // One identity provider or the other: an OIDC issuer, or one RS256 key (the development one here).
        required.removeAll(IDENTITY_PROVIDER);
        assertThat(IDENTITY_PROVIDER).as(module + " names an identity provider")
                .anyMatch(setting -> environment.get(setting) != null && !String.valueOf(environment.get(setting)).isBlank());
        for (String setting : required) {
            assertThat(environment).as(module + " needs " + setting).containsKey(setting);
            assertThat(String.valueOf(environment.get(setting))).as(module + " " + setting).isNotBlank();
        }
    }

    @Test
    void namesEachContainerAsItsConsumersStaticGroupMember() throws IOException {
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml"))).contains(INSTANCE_ID + "=$${" + INSTANCE_ID + ":-$$(hostname)}");
    }

    @Test
    void pinsItsImagesRatherThanTakingLatest() throws IOException {
        composeServices().forEach((name, service) -> {
            Object image = ((Map<?, ?>) service).get("image");
            assertThat(String.valueOf(image)).as(name).contains(":").doesNotEndWith(":latest");
        });
    }

    static List<String> serviceModules() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT.resolve("services"))) {
            return modules.filter(dir -> Files.exists(dir.resolve("pom.xml"))).map(dir -> dir.getFileName().toString()).sorted().toList();
        }
    }

    private static Set<String> requiredSettings(String module) throws IOException {
        Set<String> required = new TreeSet<>(ADDRESSES);
        List<Path> configuration = new ArrayList<>();
        configuration.add(ROOT.resolve("services").resolve(module).resolve("src/main/resources").resolve(module + ".yml"));
        String pom = Files.readString(ROOT.resolve("services").resolve(module).resolve("pom.xml"));
        try (Stream<Path> platform = Files.list(ROOT.resolve("platform"))) {
            for (Path library : platform.toList()) {
                String name = library.getFileName().toString();
                // Every service has messaging and web; other platform modules only where the service's pom names them.
                Path defaults = library.resolve("src/main/resources/META-INF/eport/defaults");
                if (Files.isDirectory(defaults) && (name.equals("messaging") || name.equals("web")
                        || pom.contains("<artifactId>" + name + "</artifactId>"))) {
                    try (Stream<Path> files = Files.list(defaults)) {
                        files.filter(f -> f.toString().endsWith(".yml")).forEach(configuration::add);
                    }
                }
            }
        }
        for (Path file : configuration) {
            Matcher placeholder = REQUIRED.matcher(Files.readString(file));
            while (placeholder.find()) {
                required.add(placeholder.group(1));
            }
        }
        return required;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> composeServices() throws IOException {
        try (InputStream in = Files.newInputStream(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(in);
            return (Map<String, Object>) compose.get("services");
        }
    }
}
