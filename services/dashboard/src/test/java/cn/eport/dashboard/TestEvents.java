package cn.eport.dashboard;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationAmended;
import cn.eport.contracts.ApplicationEvent;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.ApplicationWithdrawn;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.CheckEscalated;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.EventType;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.TelecomRegistered;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.messaging.CloudEventHeaders;
import cn.eport.messaging.IncomingRecord;
import cn.eport.messaging.ReceivedEvent;
import cn.eport.messaging.SigningSettings;
import cn.eport.messaging.VerdictSignatures;
import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.KafkaProbe;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/** The events of the joint review as their producers publish them: verdicts signed with each agency's development key. */
final class TestEvents {

    /** A resident ID number with a valid check character: it must never be shown whole. */
    static final String WHOLE_ID_NUMBER = "11010519491231002X";
    static final String MASKED_ID_NUMBER = "110***********002X";

    private static final Map<Agency, VerdictSignatures> AGENCY_KEYS = new EnumMap<>(Agency.class);
    private static final AtomicLong OFFSETS = new AtomicLong();

    static {
        for (Agency agency : Agency.values()) {
            AGENCY_KEYS.put(agency, VerdictSignatures.from(new SigningSettings(DevKeys.privateKeyOf(agency.id()), Map.of())));
        }
    }

    private final JsonMapper json;

    TestEvents(JsonMapper json) {
        this.json = json;
    }

    /** A slip number no other test uses: YY, the year 2099, and nine random digits. */
    static String newSlipNumber() {
        return "YY2099" + String.format("%09d", ThreadLocalRandom.current().nextLong(1_000_000_000L));
    }

    static ApplicationSubmitted submitted(UUID application, int revision, String slipNumber, Instant at) {
        return new ApplicationSubmitted(application, revision, slipNumber, at.truncatedTo(ChronoUnit.MILLIS), Channel.ONLINE,
                "enterprise-dashboard",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                        "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号", "林晓明",
                        "0591-87654321"),
                new CardHolder("林晓明", MASKED_ID_NUMBER, null),
                List.of(new CardHolder("陈静", "350***********0027", "BG35010001")));
    }

    static ApplicationAmended amended(UUID application, int revision, String slipNumber, Instant at) {
        ApplicationSubmitted form = submitted(application, revision, slipNumber, at);
        return new ApplicationAmended(application, revision, slipNumber, at.truncatedTo(ChronoUnit.MILLIS), Channel.ONLINE,
                "enterprise-dashboard", form.enterprise(), form.legalRepresentative(), form.operators());
    }

    static ApplicationWithdrawn withdrawn(UUID application, int revision, Instant at) {
        return new ApplicationWithdrawn(application, revision, at.truncatedTo(ChronoUnit.MILLIS), "enterprise-dashboard");
    }

    static TelecomRegistered telecomRegistered(UUID application, String slipNumber, Instant at) {
        return new TelecomRegistered(application, slipNumber, "M000100Y4", "17999000123", at.truncatedTo(ChronoUnit.MILLIS),
                "telecom-clerk-01");
    }

    static VerdictIssued verdict(UUID application, int revision, Agency agency, Outcome outcome, Instant at, Reason... reasons) {
        return AGENCY_KEYS.get(agency).sign(new VerdictIssued(application, revision, agency, outcome, List.of(reasons),
                new Decider(Decider.Kind.RULES, agency.id() + "-rules/1"), at.truncatedTo(ChronoUnit.MILLIS), ""));
    }

    static VerdictIssued reviewed(UUID application, int revision, Agency agency, Outcome outcome, Instant at, String reviewer) {
        return AGENCY_KEYS.get(agency).sign(new VerdictIssued(application, revision, agency, outcome, List.of(),
                new Decider(Decider.Kind.REVIEWER, reviewer), at.truncatedTo(ChronoUnit.MILLIS), ""));
    }

    static CardsIssued cards(UUID application, int revision, String slipNumber, Instant at) {
        return new CardsIssued(application, revision, slipNumber, new IssuedCard("LP00000000001", "林晓明", MASKED_ID_NUMBER),
                List.of(new IssuedCard("OP00000000002", "陈静", "350***********0027")), 2, 1, at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** An agency's escalation of its check of that revision, as its escalation watch raises it. */
    static CheckEscalated escalated(UUID application, int revision, Agency agency, CheckEscalated.Level level, Instant acceptedAt,
            Instant deadline, Instant at) {
        return new CheckEscalated(application, revision, agency, level, acceptedAt.truncatedTo(ChronoUnit.MILLIS),
                deadline.truncatedTo(ChronoUnit.MILLIS), 3, level == CheckEscalated.Level.WARNING ? 57.6 : 72.0, 0.0,
                CheckEscalated.WaitingFor.REVIEWER, at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The record a consumer would receive for {@code event}, published under {@code eventId}. */
    IncomingRecord record(ApplicationEvent event, String eventId, Instant publishedAt) {
        String key = event.applicationId().toString();
        byte[] value = json.writeValueAsBytes(event);
        return new IncomingRecord(Topics.of(event), 0, OFFSETS.incrementAndGet(), key, DevKeys.signedAsTopicWriter(Topics.of(event), key,
                CloudEventHeaders.of(event, eventId, sourceOf(event), publishedAt), value), value);
    }

    /**
     * {@code event} as the platform's consumer hands it to the projection once it was read and verified,
     * published under a new id.
     */
    static ReceivedEvent received(ApplicationEvent event, Instant publishedAt) {
        return new ReceivedEvent(UUID.randomUUID().toString(), EventType.of(event), event, Topics.of(event), sourceOf(event),
                publishedAt);
    }

    /** Publishes {@code event} on its topic, as its producer's outbox relay would. */
    void publish(KafkaProbe probe, ApplicationEvent event, String eventId) {
        String key = event.applicationId().toString();
        byte[] value = json.writeValueAsBytes(event);
        probe.send(Topics.of(event), key, DevKeys.signedAsTopicWriter(Topics.of(event), key,
                CloudEventHeaders.of(event, eventId, sourceOf(event), Instant.now()), value), value);
    }

    void publish(KafkaProbe probe, ApplicationEvent event) {
        publish(probe, event, UUID.randomUUID().toString());
    }

    private static String sourceOf(ApplicationEvent event) {
        if (event instanceof VerdictIssued verdict) {
            return "/eport/" + verdict.agency().id() + "-check";
        }
        if (event instanceof TelecomRegistered) {
            return "/eport/telecom";
        }
        if (event instanceof CheckEscalated escalated) {
            return "/eport/" + escalated.agency().id() + "-check";
        }
        return event instanceof CardsIssued ? "/eport/card-issuance" : "/eport/intake";
    }
}
