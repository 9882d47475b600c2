package cn.eport.agencycheck;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's answers to an application's queries, by query name. An absent record means the
 * registry has none; a check whose registry could not answer never gets facts at all: it waits.
 */
public record RegistryFacts(Map<String, Optional<RegistryRecord>> answers) {

    public static final RegistryFacts NONE = new RegistryFacts(Map.of());

    public RegistryFacts {
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }

    /** The record answering query {@code name}; empty when the registry has none. */
    public Optional<RegistryRecord> record(String name) {
        Optional<RegistryRecord> answer = answers.get(name);
        if (answer == null) {
            throw new IllegalArgumentException("no query named " + name + " was asked; asked: " + answers.keySet());
        }
        return answer;
    }
}
