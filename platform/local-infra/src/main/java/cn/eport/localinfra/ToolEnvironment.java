package cn.eport.localinfra;

import java.util.Locale;
import java.util.Map;

/** What the compose init tools ({@link KafkaAccessTool}, {@link DatabaseRolesTool}) read from their environment. */
final class ToolEnvironment {

    private final Map<String, String> environment;

    ToolEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    String required(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    String orDefault(String name, String otherwise) {
        return environment.getOrDefault(name, otherwise);
    }

    /** {@code prefix} and the service's name in upper case with - as _: {@code EPORT_KAFKA_PASSWORD_TAX_CHECK}. */
    String requiredFor(String prefix, String service) {
        return required(prefix + service.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
