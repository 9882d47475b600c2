package cn.eport.evidence.verifier;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.CardsIssued;
import cn.eport.contracts.Channel;
import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.contracts.EventType;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.contracts.IssuedCard;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.RecordSignature;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import cn.eport.testsupport.LocalTimestampAuthority;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A genuine evidence bundle, made the way the services make one: Ed25519 keys of the JDK, each service's
 * decision log chained with {@link DecisionLog}, seals signed, one seal timestamped by a real RFC 3161
 * authority ({@link LocalTimestampAuthority}), and each part cut into segments as the export cuts them.
 *
 * <ul>
 *   <li>intake: 1 the case's submission (signed record), 2 another case's, seal at 2; 3 another, seal at 3.
 *   <li>tax-check: 1 another case's verdict, 2 the case's verdict of revision 1, 3 another's, seal at 3;
 *       4 the case's verdict of revision 2, 5 another's, seal at 5 (timestamped). Two segments.
 *   <li>card-issuance: 1, 2 other cases', seal at 2; 3 the case's cards, 4 another's, seal at 4;
 *       optionally 5 a read of the case's personal data, not sealed.
 * </ul>
 */
final class EvidenceFixture {

    static final UUID CASE = UUID.fromString("0b6f3f5e-8a51-4a43-9d7a-2f1e3c4d5a6b");
    static final UUID OTHER = UUID.fromString("5a1d8c3e-2b4f-4e6a-9c7d-1e2f3a4b5c6d");
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key pair and how it is published. */
    record Signer(String name, KeyPair pair, EvidenceBundle.Key published) {

        String kid() {
            return published.kid();
        }

        String sign(byte[] message) {
            try {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(pair.getPrivate());
                signature.update(message);
                return Base64.getEncoder().encodeToString(signature.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean signsAt(Instant at) {
            return !at.isBefore(published.validFrom()) && (published.validUntil() == null || at.isBefore(published.validUntil()))
                    && (published.revokedFrom() == null || at.isBefore(published.revokedFrom()));
        }

        KeyDocument.PublishedKey asPublished() {
            byte[] encoded = pair.getPublic().getEncoded();
            String x = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
            return new KeyDocument.PublishedKey(published.kid(), "OKP", "Ed25519", "sig", x, published.x509(), published.validFrom(),
                    published.validUntil(), published.revokedFrom());
        }
    }

    /** One row of a decision log. */
    record Row(long seq, String topic, String key, Map<String, String> headers, byte[] value, byte[] contentHash, byte[] entryHash) {
    }

    /** One service's decision log, as the service keeps it. */
    static final class ServiceLog {
        final String service;
        final List<Row> rows = new ArrayList<>();
        final List<EvidenceBundle.Seal> seals = new ArrayList<>();
        private byte[] head = DecisionLog.GENESIS;
        /** The lane of the case: the fixture's other entries stand for the other cases of that lane. */
        final int lane = DecisionLog.laneOf(CASE.toString());

        ServiceLog(String service) {
            this.service = service;
        }

        Row append(String topic, UUID application, String type, Instant time, byte[] value, Signer recordSigner) {
            Map<String, String> headers = headers(service, type, application, time);
            if (recordSigner != null) {
                headers.put(RecordSignature.HEADER, recordSigner.sign(RecordSignature.signedMessage(topic, application.toString(), headers, value)));
            }
            long seq = rows.size() + 1L;
            byte[] content = DecisionLog.contentHash(topic, application.toString(), headers, value);
            head = DecisionLog.entryHash(lane, seq, head, content);
            Row row = new Row(seq, topic, application.toString(), headers, value, content, head);
            rows.add(row);
            return row;
        }

        EvidenceBundle.Seal seal(Signer signer, Instant sealedAt, LocalTimestampAuthority tsa) {
            long seq = rows.size();
            byte[] message = DecisionLog.sealMessage(service, lane, seq, head, sealedAt);
            EvidenceBundle.Seal seal = new EvidenceBundle.Seal(seq, b64(head), sealedAt, signer.kid(), signer.sign(message),
                    tsa == null ? null : b64(timestamp(tsa, DecisionLog.sha256(message))));
            seals.add(seal);
            return seal;
        }

        /** The case's part, cut into segments as {@code DecisionEvidence.partOf} cuts it. */
        EvidenceBundle.ServiceEvidence partOf(UUID application, List<Signer> keys) {
            List<Row> own = rows.stream().filter(r -> r.key().equals(application.toString())).toList();
            List<EvidenceBundle.Entry> entries = own.stream()
                    .map(r -> new EvidenceBundle.Entry(r.seq(), r.topic(), r.key(), r.headers(), b64(r.value()), b64(r.entryHash()))).toList();
            List<EvidenceBundle.Segment> segments = new ArrayList<>();
            int next = 0;
            while (next < own.size()) {
                long first = own.get(next).seq();
                Optional<EvidenceBundle.Seal> seal = seals.stream().filter(s -> s.seq() >= first).findFirst();
                long end = seal.map(EvidenceBundle.Seal::seq).orElse(own.get(own.size() - 1).seq());
                while (next < own.size() && own.get(next).seq() <= end) {
                    next++;
                }
                byte[] startHash = first == 1 ? DecisionLog.GENESIS : rows.get((int) first - 2).entryHash();
                List<EvidenceBundle.ChainLink> chain = rows.stream().filter(r -> r.seq() >= first && r.seq() <= end)
                        .map(r -> new EvidenceBundle.ChainLink(r.seq(), b64(r.contentHash()))).toList();
                segments.add(new EvidenceBundle.Segment(new EvidenceBundle.ChainStart(first - 1, b64(startHash)), chain, seal.orElse(null)));
            }
            return new EvidenceBundle.ServiceEvidence(service, DecisionLog.signerOf(service), lane, keys.stream().map(Signer::published).toList(),
                    entries, segments);
        }
    }

    // ------------------------------------------------------------------------------------ configuration

    /** How far the authority's clock is off when it timestamps the tax seal at 5. */
    Duration tsaOffset = Duration.ZERO;
    /** Sign the case's verdict of revision 2 with tax's expired key. */
    boolean revision2ByExpiredKey;
    /** Revoke tax's current key between the two verdicts (the seal key after it is a new one). */
    boolean revokeBetweenVerdicts;
    /** Add a read of the case's personal data to card issuance's log, after its last seal. */
    boolean unsealedEntry;

    // ------------------------------------------------------------------------------------ what was made

    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final Instant base = now.minus(Duration.ofHours(2));
    Signer taxOld;
    Signer taxCurrent;
    Signer taxNext;
    Signer intake;
    Signer cards;
    ServiceLog intakeLog;
    ServiceLog taxLog;
    ServiceLog cardsLog;
    VerdictIssued revision1;
    VerdictIssued revision2;

    EvidenceBundle build(LocalTimestampAuthority tsa) {
        Instant longAgo = base.minus(Duration.ofDays(60));
        Instant rotated = base.minus(Duration.ofDays(30));
        Instant revokedFrom = base.plus(Duration.ofMinutes(15));
        taxOld = signer("tax", longAgo, rotated, null);
        taxCurrent = signer("tax", rotated, null, revokeBetweenVerdicts ? revokedFrom : null);
        taxNext = revokeBetweenVerdicts ? signer("tax", revokedFrom, null, null) : null;
        intake = signer("intake", longAgo, null, null);
        cards = signer("card-issuance", longAgo, null, null);
        List<Signer> taxKeys = taxNext == null ? List.of(taxOld, taxCurrent) : List.of(taxOld, taxCurrent, taxNext);

        intakeLog = new ServiceLog("intake");
        intakeLog.append(Topics.APPLICATIONS, CASE, EventType.APPLICATION_SUBMITTED.ceType(), base, json(submitted(CASE, base)), intake);
        intakeLog.append(Topics.APPLICATIONS, OTHER, EventType.APPLICATION_SUBMITTED.ceType(), at(1), json(submitted(OTHER, at(1))), intake);
        intakeLog.seal(intake, at(2), null);
        intakeLog.append(Topics.APPLICATIONS, OTHER, EventType.APPLICATION_SUBMITTED.ceType(), at(3), json(submitted(OTHER, at(3))), intake);
        intakeLog.seal(intake, at(4), null);

        taxLog = new ServiceLog("tax-check");
        verdict(OTHER, 1, at(5), taxCurrent);
        revision1 = verdict(CASE, 1, at(10), taxCurrent);
        verdict(OTHER, 2, at(12), taxCurrent);
        taxLog.seal(keyAt(taxKeys, at(13)), at(13), null);
        revision2 = verdict(CASE, 2, at(20), revision2ByExpiredKey ? taxOld : taxCurrent);
        verdict(OTHER, 3, at(25), keyAt(taxKeys, at(25)));
        tsa.clockOffset(tsaOffset);
        try {
            Instant sealedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            taxLog.seal(keyAt(taxKeys, sealedAt), sealedAt, tsa);
        } finally {
            tsa.clockOffset(Duration.ZERO);
        }

        cardsLog = new ServiceLog("card-issuance");
        cardsLog.append(Topics.CARDS, OTHER, EventType.CARDS_ISSUED.ceType(), at(30), json(cardsIssued(OTHER, at(30))), null);
        cardsLog.append(Topics.CARDS, UUID.randomUUID(), EventType.CARDS_ISSUED.ceType(), at(30), "{}".getBytes(StandardCharsets.UTF_8), null);
        cardsLog.seal(cards, at(31), null);
        cardsLog.append(Topics.CARDS, CASE, EventType.CARDS_ISSUED.ceType(), at(40), json(cardsIssued(CASE, at(40))), null);
        cardsLog.append(Topics.CARDS, OTHER, EventType.CARDS_ISSUED.ceType(), at(41), json(cardsIssued(OTHER, at(41))), null);
        cardsLog.seal(cards, at(45), null);
        if (unsealedEntry) {
            cardsLog.append(Topics.reads("card-issuance"), CASE, EventType.PERSONAL_DATA_READ.ceType(), at(50),
                    "{\"applicationId\":\"%s\"}".formatted(CASE).getBytes(StandardCharsets.UTF_8), null);
        }

        List<EvidenceBundle.ServiceEvidence> parts = List.of(intakeLog.partOf(CASE, List.of(intake)), taxLog.partOf(CASE, taxKeys),
                cardsLog.partOf(CASE, List.of(cards)));
        List<EvidenceBundle.TimelineEvent> timeline = new ArrayList<>();
        for (EvidenceBundle.ServiceEvidence part : parts) {
            for (EvidenceBundle.Entry entry : part.entries()) {
                timeline.add(new EvidenceBundle.TimelineEvent(entry.headers().get("ce_time"), part.service(), entry.headers().get("ce_type"),
                        entry.seq(), entry.headers().get("ce_type")));
            }
        }
        timeline.sort((a, b) -> a.at().compareTo(b.at()));
        List<EvidenceBundle.RuleSet> ruleSets = List.of(ruleSet(revision1), ruleSet(revision2));
        return new EvidenceBundle(EvidenceBundle.FORMAT, CASE, now, "auditor-01", timeline, ruleSets, parts);
    }

    /** The published key documents of every signer of the bundle: a trust file. */
    List<KeyDocument> trust() {
        List<KeyDocument> documents = new ArrayList<>();
        List<Signer> taxKeys = taxNext == null ? List.of(taxOld, taxCurrent) : List.of(taxOld, taxCurrent, taxNext);
        documents.add(new KeyDocument("tax", taxKeys.stream().map(Signer::asPublished).toList()));
        documents.add(new KeyDocument("intake", List.of(intake.asPublished())));
        documents.add(new KeyDocument("card-issuance", List.of(cards.asPublished())));
        return documents;
    }

    private Instant at(int minutes) {
        return base.plus(Duration.ofMinutes(minutes));
    }

    private VerdictIssued verdict(UUID application, int revision, Instant decidedAt, Signer by) {
        VerdictIssued unsigned = new VerdictIssued(application, revision, Agency.TAX, Outcome.APPROVED, List.of(),
                new Decider(Decider.Kind.RULES, "tax-rules/1"), decidedAt, null);
        VerdictIssued signed = unsigned.withSignature(by.sign(unsigned.signedContent().getBytes(StandardCharsets.UTF_8)));
        taxLog.append(Topics.verdicts(Agency.TAX), application, EventType.VERDICT_ISSUED.ceType(), decidedAt, json(signed), null);
        return signed;
    }

    private static EvidenceBundle.RuleSet ruleSet(VerdictIssued verdict) {
        return new EvidenceBundle.RuleSet(verdict.agency().id(), verdict.revision(), verdict.decidedBy(), verdict.decidedAt());
    }

    private static Signer keyAt(List<Signer> keys, Instant at) {
        return keys.stream().filter(k -> k.signsAt(at)).reduce((a, b) -> b).orElseThrow();
    }

    static Signer signer(String name, Instant validFrom, Instant validUntil, Instant revokedFrom) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(encoded), 12));
            return new Signer(name, pair, new EvidenceBundle.Key(kid, b64(encoded), validFrom, validUntil, revokedFrom));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> headers(String service, String type, UUID application, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_id", UUID.randomUUID().toString());
        headers.put("ce_type", type);
        headers.put("ce_source", "/eport/" + service);
        headers.put("ce_specversion", "1.0");
        headers.put("ce_time", time.toString());
        headers.put("ce_subject", application.toString());
        headers.put("content-type", "application/json");
        return headers;
    }

    static byte[] timestamp(LocalTimestampAuthority tsa, byte[] sha256) {
        try {
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, RANDOM));
            HttpResponse<byte[]> reply = HTTP.send(HttpRequest.newBuilder(URI.create(tsa.url())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", LocalTimestampAuthority.QUERY_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            TimeStampResponse response = new TimeStampResponse(reply.body());
            response.validate(request);
            return response.getTimeStampToken().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("the local time-stamping authority did not answer", e);
        }
    }

    static ApplicationSubmitted submitted(UUID application, Instant at) {
        return new ApplicationSubmitted(application, 1, "YY2026000000011", at, Channel.ONLINE, "enterprise-0001",
                new Enterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                        "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001",
                        "福州市鼓楼区五四路1号", "林晓明", "0591-87654321"),
                new CardHolder("林晓明", "110***********002X", null),
                List.of(new CardHolder("陈静", "350***********0011", "BG35010001")));
    }

    static CardsIssued cardsIssued(UUID application, Instant at) {
        return new CardsIssued(application, 1, "YY2026000000011", new IssuedCard("LP00000000013", "林晓明", "110***********002X"),
                List.of(new IssuedCard("OP00000000021", "陈静", "350***********0011")), 1, 1, at);
    }

    static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    // ------------------------------------------------------------------------------------ tampering

    /** The bundle with the part of {@code service} changed. */
    static EvidenceBundle withPart(EvidenceBundle bundle, String service, UnaryOperator<EvidenceBundle.ServiceEvidence> change) {
        List<EvidenceBundle.ServiceEvidence> parts = bundle.services().stream().map(p -> p.service().equals(service) ? change.apply(p) : p).toList();
        return new EvidenceBundle(bundle.format(), bundle.applicationId(), bundle.exportedAt(), bundle.exportedBy(), bundle.timeline(),
                bundle.ruleSets(), parts);
    }

    static EvidenceBundle.ServiceEvidence withEntries(EvidenceBundle.ServiceEvidence part, UnaryOperator<List<EvidenceBundle.Entry>> change) {
        return new EvidenceBundle.ServiceEvidence(part.service(), part.signer(), part.lane(), part.keys(), change.apply(new ArrayList<>(part.entries())),
                part.segments());
    }

    static EvidenceBundle.ServiceEvidence withSegment(EvidenceBundle.ServiceEvidence part, int index, UnaryOperator<EvidenceBundle.Segment> change) {
        List<EvidenceBundle.Segment> segments = new ArrayList<>(part.segments());
        segments.set(index, change.apply(segments.get(index)));
        return new EvidenceBundle.ServiceEvidence(part.service(), part.signer(), part.lane(), part.keys(), part.entries(), segments);
    }

    static EvidenceBundle.Segment withChain(EvidenceBundle.Segment segment, UnaryOperator<List<EvidenceBundle.ChainLink>> change) {
        return new EvidenceBundle.Segment(segment.start(), change.apply(new ArrayList<>(segment.chain())), segment.seal());
    }

    static EvidenceBundle.Entry withValue(EvidenceBundle.Entry entry, byte[] value) {
        return new EvidenceBundle.Entry(entry.seq(), entry.topic(), entry.key(), entry.headers(), b64(value), entry.entryHash());
    }
}
