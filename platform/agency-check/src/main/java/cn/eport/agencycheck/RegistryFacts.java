package cn.eport.agencycheck;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's answers to an application's queries, by query name. An absent record means the
 * registry has none; a check whose registry could not answer never gets facts at all: it waits.
 */
public record RegistryFacts(Map<String, Optional<RegistryRecord>> answers) {

    public static final RegistryFacts NONE = new RegistryFacts(Map.of());

    /** The answers among {@code answers} to the queries one check {@code asked}, by the queries' names. */
    static RegistryFacts of(List<RegistryQuery> asked, Map<RegistryQuery, Optional<RegistryRecord>> answers) {
        Map<String, Optional<RegistryRecord>> facts = new LinkedHashMap<>();
        asked.forEach(query -> facts.put(query.name(), answers.get(query)));
        return new RegistryFacts(facts);
    }

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
