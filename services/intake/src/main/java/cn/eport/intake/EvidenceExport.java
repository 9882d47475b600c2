package cn.eport.intake;

import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.DecisionEvidence;
import cn.eport.messaging.EvidenceGrants;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One case's evidence bundle ({@link EvidenceBundle}, docs/evidence.md): intake's own part and every
 * other deciding service's, fetched from each with a grant for this case ({@link EvidenceGrants}), the
 * timeline and the rule sets behind the verdicts. A bundle is whole or not given: when a service does
 * not answer, the export fails and says which.
 */
@Component
class EvidenceExport {

    /** A service did not give its part. */
    static final class PartUnavailable extends RuntimeException {
        PartUnavailable(String message) {
            super(message);
        }
    }

    private static final int MAX_PART_BYTES = 32 * 1024 * 1024;

    private final DecisionEvidence own;
    private final EvidenceGrants grants;
    private final IntakeSettings.Evidence settings;
    private final Map<String, URI> sources;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http;

    EvidenceExport(DecisionEvidence own, EvidenceGrants grants, IntakeSettings settings, JsonMapper json, Clock clock) {
        this.own = own;
        this.grants = grants;
        this.settings = settings.evidence();
        this.sources = settings.evidence().sourceUrls();
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.evidence().timeout()).build();
    }

    EvidenceBundle bundleOf(UUID applicationId, String exportedBy) {
        List<EvidenceBundle.ServiceEvidence> parts = new ArrayList<>();
        parts.add(own.partOf(applicationId));
        for (String service : DecisionLog.SERVICES) {
            if (!service.equals(own.service())) {
                parts.add(partOf(service, applicationId));
            }
        }
        List<EvidenceBundle.ServiceEvidence> withEntries = parts.stream().filter(part -> !part.entries().isEmpty()).toList();
        List<EvidenceBundle.TimelineEvent> timeline = new ArrayList<>();
        List<EvidenceBundle.RuleSet> ruleSets = new ArrayList<>();
        for (EvidenceBundle.ServiceEvidence part : withEntries) {
            for (EvidenceBundle.Entry entry : part.entries()) {
                String type = entry.headers().getOrDefault("ce_type", "");
                String summary = described(type);
                if (entry.topic().startsWith("eport.verdicts.")) {
                    VerdictIssued verdict = json.readValue(Base64.getDecoder().decode(entry.value()), VerdictIssued.class);
                    ruleSets.add(new EvidenceBundle.RuleSet(verdict.agency().id(), verdict.revision(), verdict.decidedBy(), verdict.decidedAt()));
                    summary = verdict.agency().id() + " " + verdict.outcome() + " revision " + verdict.revision() + " ("
                            + verdict.decidedBy().kind().name().toLowerCase(Locale.ROOT) + " " + verdict.decidedBy().id() + ")";
                }
                timeline.add(new EvidenceBundle.TimelineEvent(entry.headers().getOrDefault("ce_time", ""), part.service(), type, entry.seq(), summary));
            }
        }
        // By instant, not by text: ISO-8601 times of different precision do not sort as strings.
        timeline.sort(Comparator.comparing(event -> Instant.parse(event.at())));
        return new EvidenceBundle(EvidenceBundle.FORMAT, applicationId, clock.instant().truncatedTo(ChronoUnit.MILLIS), exportedBy, timeline,
                ruleSets, withEntries);
    }

    /** {@code cn.eport.cards.issued.v1} as "cards issued". */
    private static String described(String ceType) {
        String name = ceType.startsWith("cn.eport.") ? ceType.substring("cn.eport.".length()) : ceType;
        name = name.replaceFirst("\\.v\\d+$", "");
        return name.replace('.', ' ').replace('-', ' ');
    }

    private EvidenceBundle.ServiceEvidence partOf(String service, UUID applicationId) {
        URI base = sources.get(service);
        if (base == null) {
            throw new PartUnavailable("intake does not know where " + service + " is (eport.intake.evidence.sources)");
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/eport/evidence/" + applicationId)).timeout(settings.timeout())
                .header(EvidenceGrants.HEADER, grants.issue(applicationId)).header("Accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new PartUnavailable(service + " answered HTTP " + response.statusCode() + " for its part");
            }
            if (response.body().length > MAX_PART_BYTES) {
                throw new PartUnavailable(service + "'s part is larger than " + MAX_PART_BYTES + " bytes");
            }
            EvidenceBundle.ServiceEvidence part = json.readValue(response.body(), EvidenceBundle.ServiceEvidence.class);
            if (!service.equals(part.service())) {
                throw new PartUnavailable(base + " answered as " + part.service() + ", not " + service);
            }
            return part;
        } catch (IOException | JacksonException e) {
            throw new PartUnavailable(service + " did not give its part: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartUnavailable("interrupted while fetching " + service + "'s part");
        }
    }
}
