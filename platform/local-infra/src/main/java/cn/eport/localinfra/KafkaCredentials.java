package cn.eport.localinfra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The development passwords of the broker's principals ({@link KafkaAccess}): generated at random for
 * a broker that lives as long as its JVM, or kept beside a broker's data directory for one that
 * outlives it. A real deployment keeps each service's password in its own secret store instead.
 */
public final class KafkaCredentials {

    /** How clients prove who they are: SCRAM, so that no password crosses the wire. */
    public static final String MECHANISM = "SCRAM-SHA-256";
    /** SASL over plain TCP on this machine; a deployment across hosts uses SASL_SSL. */
    public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Map<String, String> passwords;

    private KafkaCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** These passwords, by principal (the super user's among them). */
    public static KafkaCredentials of(Map<String, String> passwords) {
        return new KafkaCredentials(passwords);
    }

    /** A fresh password for the super user and for every principal of {@link KafkaAccess#principals()}. */
    public static KafkaCredentials generate() {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(KafkaAccess.ADMIN, newPassword());
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            passwords.put(principal.name(), newPassword());
        }
        return new KafkaCredentials(passwords);
    }

    /**
     * The credentials kept beside the broker data directory {@code logDir}, created on first use
     * (readable by this user only). A principal added since gets its password on the next start; a
     * broker whose file is lost gets new passwords for all (the broker is configured with them at start).
     */
    public static KafkaCredentials forDataDirectory(Path logDir) {
        Path file = fileFor(logDir);
        try {
            Map<String, String> passwords = new LinkedHashMap<>();
            if (Files.exists(file)) {
                passwords.putAll(read(file).passwords);
            }
            KafkaCredentials generated = generate();
            boolean added = false;
            for (Map.Entry<String, String> entry : generated.passwords.entrySet()) {
                added |= passwords.putIfAbsent(entry.getKey(), entry.getValue()) == null;
            }
            KafkaCredentials credentials = new KafkaCredentials(passwords);
            if (added) {
                credentials.writeTo(file);
            }
            return credentials;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or write the Kafka credentials in " + file, e);
        }
    }

    /** Where {@link #forDataDirectory(Path)} keeps them: beside the data, since Kafka owns what is inside it. */
    public static Path fileFor(Path logDir) {
        Path absolute = logDir.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + "-credentials.properties");
    }

    public String password(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal " + principal + " (known: " + passwords.keySet() + ")");
        }
        return password;
    }

    /** What a Kafka client needs besides {@code bootstrap.servers} to connect as {@code principal}. */
    public Map<String, Object> clientProperties(String principal) {
        return clientProperties(principal, password(principal));
    }

    /** As {@link #clientProperties(String)}, logging in with PLAIN: the broker knows these passwords from its configuration. */
    public Map<String, Object> plainClientProperties(String principal) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SECURITY_PROTOCOL, SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, jaas("org.apache.kafka.common.security.plain.PlainLoginModule", principal,
                        password(principal)));
    }

    /** The same for any user and password, for instance a service's configured ones. */
    public static Map<String, Object> clientProperties(String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SECURITY_PROTOCOL,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user, password));
    }

    /**
     * A broker's PLAIN login for these principals: it logs in itself as the super user and knows every
     * principal's password. For clients whose SCRAM the broker refuses (librdkafka before 2.6.1).
     */
    String plainServerJaas() {
        return plainServerJaas(passwords);
    }

    static String plainServerJaas(Map<String, String> passwords) {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"")
                .append(KafkaAccess.ADMIN).append("\" password=\"").append(passwords.get(KafkaAccess.ADMIN)).append('"');
        passwords.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        return jaas.append(';').toString();
    }

    static String jaas(String loginModule, String user, String password) {
        return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** Credentials written by {@link #writeTo(Path)}, for tools that connect to a running system. */
    public static KafkaCredentials read(Path file) throws IOException {
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            stored.load(in);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        stored.stringPropertyNames().forEach(name -> passwords.put(name, stored.getProperty(name)));
        return new KafkaCredentials(passwords);
    }

    /** Writes them to {@code file}, readable by this user only, replacing what was there at once. */
    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Properties properties = new Properties();
        properties.putAll(passwords);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            properties.store(out, "Development passwords of the broker's principals (SCRAM-SHA-256); user admin is its super user");
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String newPassword() {
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
