package cn.eport.contracts;

/**
 * The topic names, in one place. Every record is keyed by its application id, so one
 * application's events stay in order on one partition. Each topic has exactly one writer.
 */
public final class Topics {

    /** Written by intake: submitted, amended, withdrawn. */
    public static final String APPLICATIONS = "eport.applications";

    /** Written by telecom: the enterprise's 17999 registration. */
    public static final String TELECOM = "eport.telecom";

    /** Written by card issuance: cards issued, and every later change of the set ({@link CardEvent}). */
    public static final String CARDS = "eport.cards";

    private static final String VERDICTS_PREFIX = "eport.verdicts.";
    private static final String DEAD_LETTERS_PREFIX = "eport.dlt.";
    private static final String READS_PREFIX = "eport.reads.";
    private static final String SEALS_PREFIX = "eport.seals.";
    private static final String DEADLINES_PREFIX = "eport.deadlines.";

    private Topics() {
    }

    /** The one topic an event of this kind is published on. */
    public static String of(ApplicationEvent event) {
        if (event instanceof SignedVerdict verdict) {
            return verdicts(verdict.agency());
        }
        if (event instanceof CheckEscalated escalated) {
            return deadlines(escalated.agency());
        }
        if (event instanceof CardsIssued || event instanceof CardEvent) {
            return CARDS;
        }
        if (event instanceof ApplicationRevision || event instanceof ApplicationWithdrawn) {
            return APPLICATIONS;
        }
        if (event instanceof TelecomRegistered) {
            return TELECOM;
        }
        if (event instanceof PersonalDataRead read) {
            return reads(read.service());
        }
        throw new IllegalArgumentException("no topic for " + event.getClass().getName());
    }

    /** Written only by that agency's service: its verdicts and its withdrawals of approvals; integrators subscribe here. */
    public static String verdicts(Agency agency) {
        return VERDICTS_PREFIX + agency.id();
    }

    /** Written only by that agency's service: its checks that near or pass their time limit ({@link CheckEscalated}). */
    public static String deadlines(Agency agency) {
        return DEADLINES_PREFIX + agency.id();
    }

    /** The prefix of every agency's deadlines topic. */
    public static String deadlinesPrefix() {
        return DEADLINES_PREFIX;
    }

    /** The agency whose verdict topic this is. */
    public static Agency agencyOfVerdictTopic(String topic) {
        if (!topic.startsWith(VERDICTS_PREFIX)) {
            throw new IllegalArgumentException(topic + " is not a verdict topic");
        }
        return Agency.ofId(topic.substring(VERDICTS_PREFIX.length()));
    }

    /** Written only by {@code service}: the reads of personal data it served ({@link PersonalDataRead}). */
    public static String reads(String service) {
        return READS_PREFIX + service;
    }

    /** Every service's reads topic starts with this. */
    public static String readsPrefix() {
        return READS_PREFIX;
    }

    /** Records one consumer group could not read, each with the reason in its headers. */
    public static String deadLetters(String consumerGroup) {
        return DEAD_LETTERS_PREFIX + consumerGroup;
    }

    /** Where {@code service} publishes the seals of its decision log ({@link DecisionLogSealed}). */
    public static String seals(String service) {
        return SEALS_PREFIX + service;
    }

    /** The prefix of every service's seals topic. */
    public static String sealsPrefix() {
        return SEALS_PREFIX;
    }
}
