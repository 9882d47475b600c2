package cn.eport.evidence.verifier;

import cn.eport.contracts.Agency;
import cn.eport.contracts.DecisionLog;
import cn.eport.contracts.EvidenceBundle;
import cn.eport.contracts.EvidenceBundle.ChainLink;
import cn.eport.contracts.EvidenceBundle.Entry;
import cn.eport.contracts.EvidenceBundle.Seal;
import cn.eport.contracts.EvidenceBundle.ServiceEvidence;
import cn.eport.contracts.RecordSignature;
import cn.eport.contracts.Topics;
import cn.eport.contracts.VerdictIssued;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.spec.InvalidKeySpecException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an evidence bundle ({@link EvidenceBundle}) without the running system: each service's part of
 * the hash chain, its entries, its seals and their timestamps, the signatures of verdicts and of intake's
 * and telecom's records, the rule sets, and, given a trust file, the keys. Every problem becomes a
 * {@link Finding} that FAILS, naming the service, the sequence number, the event type and the topic;
 * what holds is reported too. Nothing here throws on a malformed bundle: what cannot be read fails.
 */
public final class BundleVerifier {

    /** The largest input read: a bundle or trust file over this is refused. */
    public static final long MAX_INPUT_BYTES = 64L * 1024 * 1024;

    /** How far a time may be after the time that should follow it (clocks of different machines). */
    public static final Duration TOLERANCE = Duration.ofSeconds(5);

    private static final String VERDICTS_PREFIX = "eport.verdicts.";
    private static final String READS_PREFIX = "eport.reads.";
    private static final String BUNDLE = "bundle";

    /** Strict where a lax reader could be fooled: duplicate fields, trailing content, null numbers. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final List<KeyDocument> trusted;

    /** A verifier that checks the keys only against the bundle itself (and says so). */
    public BundleVerifier() {
        this(null);
    }

    /** A verifier that also requires every key of the bundle to be one of {@code trusted} (null: none given). */
    public BundleVerifier(List<KeyDocument> trusted) {
        this.trusted = trusted == null ? null : List.copyOf(trusted.stream().filter(Objects::nonNull).toList());
    }

    // ---------------------------------------------------------------------------------------- reading

    /** The bytes of {@code file}, refused over {@link #MAX_INPUT_BYTES}. */
    public static byte[] readBounded(Path file) throws UnreadableInputException {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_INPUT_BYTES) {
                throw new UnreadableInputException(file + " is " + Files.size(file) + " bytes: over the limit of 64 MiB, refused");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) MAX_INPUT_BYTES + 1);
                if (bytes.length > MAX_INPUT_BYTES) {
                    throw new UnreadableInputException(file + " is over the limit of 64 MiB, refused");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableInputException("no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new UnreadableInputException("not allowed to read " + file);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The bundle in {@code json}; fails with where and what when it is not JSON of an evidence bundle. */
    public static EvidenceBundle readBundle(byte[] json) throws UnreadableInputException {
        if (json.length > MAX_INPUT_BYTES) {
            throw new UnreadableInputException("the bundle is over the limit of 64 MiB, refused");
        }
        EvidenceBundle bundle;
        try {
            bundle = JSON.readValue(json, EvidenceBundle.class);
        } catch (JacksonException e) {
            throw new UnreadableInputException("not a readable evidence bundle: " + describe(e));
        }
        if (bundle == null) {
            throw new UnreadableInputException("not a readable evidence bundle: it is empty (null)");
        }
        return bundle;
    }

    /** The key documents of a trust file: a JSON array of what {@code GET /eport/keys/{signer}} serves. */
    public static List<KeyDocument> readTrust(byte[] json) throws UnreadableInputException {
        if (json.length > MAX_INPUT_BYTES) {
            throw new UnreadableInputException("the trust file is over the limit of 64 MiB, refused");
        }
        KeyDocument[] documents;
        try {
            documents = JSON.readValue(json, KeyDocument[].class);
        } catch (JacksonException e) {
            throw new UnreadableInputException("not a readable trust file (a JSON array of key documents as served at "
                    + "GET /eport/keys/{signer}): " + describe(e));
        }
        if (documents == null) {
            throw new UnreadableInputException("not a readable trust file: it is empty (null)");
        }
        for (int i = 0; i < documents.length; i++) {
            if (documents[i] == null || documents[i].agency() == null || documents[i].keys() == null) {
                throw new UnreadableInputException("not a readable trust file: document [" + i + "] has no \"agency\" or no \"keys\"");
            }
        }
        return List.of(documents);
    }

    private static String describe(JacksonException e) {
        String message = Optional.ofNullable(e.getOriginalMessage()).orElse(e.getClass().getSimpleName());
        message = message.replaceAll(" ?\\(start marker at \\[Source:[^\\]]*\\]\\)", "").replaceAll(" ?\\[Source:[^\\]]*\\]", "");
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        StringBuilder text = new StringBuilder(Text.printable(message));
        if (!path.isEmpty()) {
            text.append(" (at ").append(Text.printable(path)).append(')');
        }
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            text.append(" (line ").append(e.getLocation().getLineNr()).append(", column ").append(e.getLocation().getColumnNr()).append(')');
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------- checking

    /** Every check of {@code bundle}; the report lists each finding. */
    public Report verify(EvidenceBundle bundle) {
        return new Run(bundle).run();
    }

    /** One verdict seen in the bundle, for the rule sets. */
    private record SeenVerdict(VerdictIssued verdict, String service, long seq) {
    }

    /** The state of one verification. */
    private final class Run {

        private final EvidenceBundle bundle;
        private final UUID applicationId;
        private final List<Finding> findings = new ArrayList<>();
        private final List<ServiceEvidence> parts;
        /** By identity: a part is a large value, and two equal parts are still two. */
        private final Map<ServiceEvidence, String> names = new IdentityHashMap<>();
        /** Every readable key of the bundle, by the part it is in. */
        private final Map<ServiceEvidence, List<SigningKey>> keys = new IdentityHashMap<>();
        private final List<SeenVerdict> verdicts = new ArrayList<>();

        Run(EvidenceBundle bundle) {
            this.bundle = bundle;
            this.applicationId = bundle.applicationId();
            this.parts = bundle.services() == null ? List.of() : bundle.services().stream().filter(Objects::nonNull).toList();
        }

        Report run() {
            if (!EvidenceBundle.FORMAT.equals(bundle.format())) {
                fail(BUNDLE, null, "the format is " + quoted(bundle.format()) + ", but this verifier reads " + EvidenceBundle.FORMAT);
            }
            if (applicationId == null) {
                fail(BUNDLE, null, "it names no applicationId: no entry can be shown to be of the case");
            }
            if (parts.isEmpty()) {
                fail(BUNDLE, null, "it has no service parts: nothing in it proves anything");
            }
            for (int i = 0; i < parts.size(); i++) {
                ServiceEvidence part = parts.get(i);
                names.put(part, part.service() == null || part.service().isBlank() ? "part " + (i + 1) : part.service());
            }
            for (ServiceEvidence part : parts) {
                readKeys(part);
            }
            for (ServiceEvidence part : parts) {
                new PartCheck(part, names.get(part)).run();
            }
            checkRuleSets();
            checkTimeline();
            checkTrust();
            return new Report(bundle, findings);
        }

        // ----------------------------------------------------------------------------- keys

        private void readKeys(ServiceEvidence part) {
            String service = names.get(part);
            List<SigningKey> readable = new ArrayList<>();
            Set<String> kids = new HashSet<>();
            String signer = part.signer() == null ? "(no signer)" : part.signer();
            List<EvidenceBundle.Key> published = part.keys() == null ? List.of() : part.keys();
            if (published.isEmpty()) {
                fail(service, null, "it has no keys: nothing it signed can be verified");
            }
            for (EvidenceBundle.Key key : published) {
                if (key == null) {
                    fail(service, null, "one of its keys is empty (null)");
                    continue;
                }
                if (key.kid() == null || key.kid().isBlank()) {
                    fail(service, null, "a key of " + signer + " has no kid");
                    continue;
                }
                if (!kids.add(key.kid())) {
                    fail(service, null, "two keys of " + signer + " have the kid " + key.kid());
                }
                if (key.validFrom() == null) {
                    fail(service, null, "key " + key.kid() + " of " + signer + " has no validFrom: it can sign at no time");
                }
                try {
                    readable.add(SigningKey.of(signer, service, key));
                } catch (InvalidKeySpecException e) {
                    fail(service, null, "key " + key.kid() + " of " + signer + " is unusable: " + e.getMessage());
                }
            }
            keys.put(part, readable);
        }

        /** The keys of every part of {@code service}. */
        private List<SigningKey> keysOfService(String service) {
            return parts.stream().filter(p -> service.equals(p.service())).flatMap(p -> keys.get(p).stream()).toList();
        }

        /** The keys of every part signed by {@code signer}. */
        private List<SigningKey> keysOfSigner(String signer) {
            return parts.stream().filter(p -> signer.equals(p.signer())).flatMap(p -> keys.get(p).stream()).toList();
        }

        /** Of {@code candidates}, one whose signature {@code signature} of {@code message} is, preferring one that may sign at {@code at}. */
        private Optional<SigningKey> signerOf(List<SigningKey> candidates, byte[] message, byte[] signature, Instant at) {
            List<SigningKey> verifying = candidates.stream().filter(k -> k.verifies(message, signature)).toList();
            return verifying.stream().filter(k -> at != null && k.signsAt(at)).findFirst().or(() -> verifying.stream().findFirst());
        }

        /** A key of the bundle outside {@code excluded} that made the signature: who really signed, when it is not who should have. */
        private Optional<SigningKey> otherSignerOf(List<SigningKey> excluded, byte[] message, byte[] signature) {
            return parts.stream().flatMap(p -> keys.get(p).stream()).filter(k -> !excluded.contains(k))
                    .filter(k -> k.verifies(message, signature)).findFirst();
        }

        // ----------------------------------------------------------------------------- one part

        private final class PartCheck {

            /** One segment of the part's chain, recomputed. */
            private final class Segment {
                final int number;
                final long start;
                long last;
                boolean empty = true;
                /** The recomputed entry hash at each sequence number (the start's included). */
                final Map<Long, byte[]> headAt = new TreeMap<>();
                /** The content hash the chain has at each sequence number. */
                final Map<Long, byte[]> contentAt = new TreeMap<>();
                /** Its seal, when it is readable and has a time. */
                Seal seal;

                Segment(int number, long start) {
                    this.number = number;
                    this.start = start;
                    this.last = start;
                }

                String range() {
                    return empty ? "empty after " + start : (start + 1) + ".." + last;
                }
            }

            private final ServiceEvidence part;
            private final String service;
            private final int firstFinding;
            private final List<Segment> segments = new ArrayList<>();
            private final List<String> sealNotes = new ArrayList<>();
            private final List<Long> sealNoteSeqs = new ArrayList<>();
            private Seal previousSeal;

            /** The part's lane, where it is one (a wrong one is reported in {@link #run}): what its hashes are computed in. */
            private int lane() {
                return Math.floorMod(part.lane(), DecisionLog.LANES);
            }

            PartCheck(ServiceEvidence part, String service) {
                this.part = part;
                this.service = service;
                this.firstFinding = findings.size();
            }

            void run() {
                if (part.service() == null || part.service().isBlank()) {
                    fail(service, null, "it names no service");
                }
                if (part.signer() == null || part.signer().isBlank()) {
                    fail(service, null, "it names no signer");
                } else if (part.service() != null && !part.signer().equals(DecisionLog.signerOf(part.service()))) {
                    fail(service, null, "its signer is " + part.signer() + ", but " + part.service() + " seals with the key of "
                            + DecisionLog.signerOf(part.service()));
                }
                if (part.lane() < 0 || part.lane() >= DecisionLog.LANES) {
                    fail(service, null, "its lane " + part.lane() + " is not one of the log's lanes 0 to " + (DecisionLog.LANES - 1));
                } else if (applicationId != null && part.lane() != DecisionLog.laneOf(applicationId.toString())) {
                    fail(service, null, "its lane is " + part.lane() + ", but the case's entries are in lane " + DecisionLog.laneOf(applicationId.toString()));
                }
                List<EvidenceBundle.Segment> given = part.segments() == null ? List.of() : part.segments();
                if (given.isEmpty() && part.entries() != null && !part.entries().isEmpty()) {
                    fail(service, null, "it has entries but no segment of its chain: none of them can be placed in the chain");
                }
                for (int i = 0; i < given.size(); i++) {
                    EvidenceBundle.Segment segment = given.get(i);
                    if (segment == null) {
                        fail(service, null, "segment " + (i + 1) + " is empty (null)");
                        continue;
                    }
                    checkSegment(i + 1, segment);
                }
                checkEntries();
                summarise();
            }

            // -------------------------------------------------------------- chain

            private void checkSegment(int number, EvidenceBundle.Segment given) {
                EvidenceBundle.ChainStart chainStart = given.start();
                if (chainStart == null) {
                    fail(service, null, "segment " + number + " has no chain start: its chain and seal cannot be checked");
                    return;
                }
                long start = chainStart.seq();
                Segment segment = new Segment(number, start);
                byte[] startHash = hash32(chainStart.entryHash());
                if (start < 0) {
                    fail(service, start, "chain start " + start + " is a negative sequence number");
                }
                if (startHash == null) {
                    fail(service, start, "chain start at " + start + ": its entry hash is not 32 bytes of Base64");
                    startHash = new byte[32];
                } else if (start == 0 && !Arrays.equals(startHash, DecisionLog.GENESIS)) {
                    fail(service, 0L, "chain starts at the log's beginning (seq 0) but not from GENESIS (32 zero bytes)");
                }
                Segment before = segments.isEmpty() ? null : segments.get(segments.size() - 1);
                if (before != null) {
                    if (start < before.last) {
                        fail(service, start, "segment " + number + " starts at " + start + ", inside segment " + before.number + " ("
                                + before.range() + "): segments must follow each other");
                    } else if (start == before.last && !Arrays.equals(startHash, before.headAt.get(before.last))) {
                        fail(service, start, "segment " + number + " does not continue segment " + before.number + ": its start hash at "
                                + start + " is not the entry hash there");
                    }
                }
                segment.headAt.put(start, startHash);

                List<ChainLink> links = given.chain() == null ? List.of() : given.chain();
                TreeSet<Long> present = new TreeSet<>();
                for (ChainLink link : links) {
                    if (link != null) {
                        present.add(link.seq());
                        segment.last = Math.max(segment.last, link.seq());
                        segment.empty = false;
                    }
                }
                long previousPresent = start;
                for (long seq : present.tailSet(start, false)) {
                    if (seq > previousPresent + 1) {
                        long from = previousPresent + 1;
                        long to = seq - 1;
                        fail(service, from, from == to
                                ? "entry " + from + " is missing: the chain goes from " + previousPresent + " to " + seq
                                : "entries " + from + ".." + to + " are missing: the chain goes from " + previousPresent + " to " + seq);
                    }
                    previousPresent = seq;
                }

                byte[] previous = startHash;
                long previousSeq = start;
                Set<Long> seen = new HashSet<>();
                for (int i = 0; i < links.size(); i++) {
                    ChainLink link = links.get(i);
                    if (link == null) {
                        fail(service, null, "link " + (i + 1) + " of the chain of segment " + number + " is empty (null)");
                        continue;
                    }
                    long seq = link.seq();
                    byte[] content = hash32(link.contentHash());
                    if (content == null) {
                        fail(service, seq, "chain link of entry " + seq + ": its content hash is not 32 bytes of Base64");
                        content = new byte[32];
                    }
                    if (seq <= start) {
                        fail(service, seq, "entries out of order at " + seq + ": entry " + seq + " lies at or before the chain's start " + start);
                    } else if (!seen.add(seq)) {
                        fail(service, seq, "entries out of order at " + seq + ": entry " + seq + " appears again after entry " + previousSeq);
                    } else if (seq <= previousSeq) {
                        fail(service, seq, "entries out of order at " + seq + ": entry " + seq + " comes after entry " + previousSeq);
                    }
                    byte[] hash = DecisionLog.entryHash(lane(), seq, previous, content);
                    segment.headAt.putIfAbsent(seq, hash);
                    segment.contentAt.putIfAbsent(seq, content);
                    previous = hash;
                    previousSeq = seq;
                }
                segments.add(segment);
                if (given.seal() != null) {
                    checkSeal(given.seal(), segment);
                }
            }

            // -------------------------------------------------------------- seals

            private void checkSeal(Seal seal, Segment segment) {
                long seq = seal.seq();
                String where = "seal at " + seq;
                Seal previous = previousSeal;
                previousSeal = seal;
                if (previous != null) {
                    if (seq <= previous.seq()) {
                        fail(service, seq, where + " comes after the seal at " + previous.seq() + ": seals must be in increasing order");
                    }
                    if (seal.sealedAt() != null && previous.sealedAt() != null && seal.sealedAt().plus(TOLERANCE).isBefore(previous.sealedAt())) {
                        fail(service, seq, where + " was sealed at " + seal.sealedAt() + ", before the seal at " + previous.seq()
                                + " that precedes it (sealed at " + previous.sealedAt() + ")");
                    }
                }
                if (seal.sealedAt() == null) {
                    fail(service, seq, where + " has no sealedAt: its signature cannot be checked");
                    return;
                }
                segment.seal = seal;

                byte[] headHash = hash32(seal.headHash());
                boolean covers = false;
                if (headHash == null) {
                    fail(service, seq, where + ": its head hash is not 32 bytes of Base64");
                    return;
                }
                boolean inRange = segment.empty ? seq == segment.start : seq > segment.start && seq <= segment.last;
                if (!inRange) {
                    fail(service, seq, where + " lies outside the chain of its segment (" + segment.range() + ")");
                } else if (!segment.headAt.containsKey(seq)) {
                    fail(service, seq, where + " does not cover this chain: entry " + seq + " is not in it");
                } else if (!Arrays.equals(segment.headAt.get(seq), headHash)) {
                    fail(service, seq, where + " does not cover this chain: an entry up to " + seq
                            + " was removed, inserted, reordered or altered");
                } else {
                    covers = true;
                }

                byte[] message = DecisionLog.sealMessage(part.service() == null ? "" : part.service(), lane(), seq, headHash, seal.sealedAt());
                String signer = part.signer();
                List<SigningKey> own = keys.get(part);
                Optional<SigningKey> named = own.stream().filter(k -> k.kid().equals(seal.keyId())).findFirst();
                byte[] signature = base64(seal.signature());
                boolean signedWell = false;
                if (signature == null) {
                    fail(service, seq, where + ": its signature is not Base64");
                } else if (named.isEmpty() && nonNull(part.keys()).stream().anyMatch(k -> k != null && Objects.equals(k.kid(), seal.keyId()))) {
                    fail(service, seq, where + " cannot be verified: key " + seal.keyId() + " of " + signer + " is unusable");
                } else if (named.isEmpty()) {
                    Optional<SigningKey> actual = signerOf(own, message, signature, seal.sealedAt()).or(() -> otherSignerOf(own, message, signature));
                    fail(service, seq, where + " is signed by the wrong key: it names key " + seal.keyId() + ", which is not a key of " + signer
                            + actual.map(k -> " (its signature verifies with " + k.name() + ")").orElse(""));
                } else if (!named.get().verifies(message, signature)) {
                    Optional<SigningKey> actual = otherSignerOf(List.of(named.get()), message, signature);
                    fail(service, seq, where + " is signed by the wrong key: its signature does not verify with key " + seal.keyId() + " of " + signer
                            + actual.map(k -> " (it verifies with " + k.name() + ")").orElse(""));
                } else if (!named.get().signsAt(seal.sealedAt())) {
                    fail(service, seq, where + ": key " + seal.keyId() + " used outside its validity: sealed at " + seal.sealedAt()
                            + ", but the key is " + named.get().validity());
                } else {
                    signedWell = true;
                }

                StringBuilder note = new StringBuilder("sealed at " + seq + " by key " + seal.keyId() + (signedWell ? " (valid)" : ""));
                if (seal.timestampToken() != null) {
                    byte[] der = base64(seal.timestampToken());
                    TimestampCheck.Result stamp = der == null ? TimestampCheck.Result.failed("its timestamp token is not Base64")
                            : TimestampCheck.check(der, message);
                    if (!stamp.ok()) {
                        fail(service, seq, where + ": " + stamp.problem());
                    } else if (seal.sealedAt().isAfter(stamp.genTime().plus(TOLERANCE))) {
                        fail(service, seq, where + ": head sealed after its timestamp: sealed at " + seal.sealedAt()
                                + ", but timestamped at " + stamp.genTime() + " by " + stamp.tsa() + " (tolerance " + TOLERANCE.toSeconds() + " s)");
                    } else {
                        note.append(", timestamped ").append(stamp.genTime()).append(" by ").append(stamp.tsa())
                                .append(" (policy ").append(stamp.policy()).append(")");
                    }
                } else {
                    note.append(", not timestamped");
                }
                if (signedWell && covers) {
                    sealNotes.add(note.toString());
                    sealNoteSeqs.add(seq);
                }
            }

            // -------------------------------------------------------------- entries

            private void checkEntries() {
                List<Entry> entries = part.entries() == null ? List.of() : part.entries();
                Long previous = null;
                for (Entry entry : entries) {
                    if (entry == null) {
                        fail(service, null, "one of its entries is empty (null)");
                        continue;
                    }
                    if (previous != null && entry.seq() <= previous) {
                        fail(service, entry.seq(), "entry " + entry.seq() + " is listed after entry " + previous
                                + ": the entries are not in the order of the chain");
                    }
                    previous = entry.seq();
                    checkEntry(entry);
                }
            }

            private void checkEntry(Entry entry) {
                long seq = entry.seq();
                Map<String, String> headers = entry.headers() == null ? Map.of() : entry.headers();
                String topic = entry.topic();
                String type = headers.get("ce_type");
                String label = "entry " + seq + " (" + (type == null ? "no ce_type" : type) + " on " + (topic == null ? "no topic" : topic) + ")";
                if (topic == null || entry.key() == null) {
                    fail(service, seq, label + " has no " + (topic == null ? "topic" : "key") + ": it cannot be checked");
                    return;
                }
                byte[] value = base64(entry.value());
                if (value == null) {
                    fail(service, seq, label + ": its value is not Base64");
                    return;
                }
                String application = String.valueOf(applicationId);
                if (!entry.key().equals(application)) {
                    fail(service, seq, label + " is keyed to " + quoted(entry.key()) + ", not to application " + application);
                }
                String subject = headers.get("ce_subject");
                if (subject != null && !subject.equals(application)) {
                    fail(service, seq, label + " is about " + quoted(subject) + " (ce_subject), not application " + application);
                }
                writerOf(topic).filter(writer -> !writer.equals(part.service())).ifPresent(writer ->
                        fail(service, seq, label + " sits in the log of " + part.service() + ", but only " + writer + " writes " + topic));

                List<Segment> holding = segments.stream().filter(s -> s.contentAt.containsKey(seq)).toList();
                Segment segment = holding.isEmpty() ? null : holding.get(0);
                if (holding.size() > 1) {
                    fail(service, seq, label + " lies in more than one segment (" + holding.stream().map(s -> "segment " + s.number)
                            .collect(Collectors.joining(", ")) + ")");
                }
                if (segment == null) {
                    if (!segments.isEmpty()) {
                        fail(service, seq, label + " is not in the chain (" + segments.stream().map(Segment::range)
                                .collect(Collectors.joining(", ")) + ")");
                    }
                } else {
                    byte[] content;
                    try {
                        content = DecisionLog.contentHash(topic, entry.key(), headers, value);
                    } catch (IllegalArgumentException e) {
                        content = null;
                        fail(service, seq, label + ": its topic, key or a signed header holds a line feed");
                    }
                    if (content != null && !Arrays.equals(content, segment.contentAt.get(seq))) {
                        fail(service, seq, label + " was altered: its content does not hash to its place in the chain");
                    }
                    byte[] entryHash = hash32(entry.entryHash());
                    if (entryHash == null) {
                        fail(service, seq, label + ": its entry hash is not 32 bytes of Base64");
                    } else if (!Arrays.equals(entryHash, segment.headAt.get(seq))) {
                        fail(service, seq, label + ": its entry hash is not the chain's entry hash at " + seq);
                    }
                }

                Instant recorded = null;
                String time = headers.get("ce_time");
                if (time != null) {
                    recorded = instant(time);
                    if (recorded == null) {
                        fail(service, seq, label + ": its ce_time " + quoted(time) + " is not an ISO-8601 time");
                    }
                }
                if (segment != null) {
                    Seal cover = segment.seal;
                    if (cover == null || cover.seq() < seq) {
                        fail(service, seq, label + " is not yet sealed: no seal at " + seq + " or later covers it"
                                + (cover == null ? " (its segment has no seal)" : " (its segment's seal is at " + cover.seq() + ")"));
                    } else if (recorded != null && recorded.isAfter(cover.sealedAt().plus(TOLERANCE))) {
                        fail(service, seq, label + " was recorded at " + recorded + ", after the seal at " + cover.seq() + " (sealed at "
                                + cover.sealedAt() + ") that covers it: it was inserted afterwards");
                    }
                }

                if (topic.startsWith(VERDICTS_PREFIX)) {
                    checkVerdict(seq, label, topic, value);
                }
                Optional<String> recordSigner = RecordSignature.signerOf(topic);
                if (recordSigner.isPresent()) {
                    checkRecordSignature(seq, label, entry, headers, value, recordSigner.get(), recorded);
                }
            }

            private void checkVerdict(long seq, String label, String topic, byte[] value) {
                VerdictIssued verdict;
                try {
                    verdict = JSON.readValue(value, VerdictIssued.class);
                } catch (JacksonException e) {
                    fail(service, seq, label + ": its value is not a readable verdict: " + describe(e));
                    return;
                }
                List<String> missing = new ArrayList<>();
                if (verdict == null) {
                    fail(service, seq, label + ": its value is not a verdict (null)");
                    return;
                }
                if (verdict.applicationId() == null) {
                    missing.add("applicationId");
                }
                if (verdict.agency() == null) {
                    missing.add("agency");
                }
                if (verdict.outcome() == null) {
                    missing.add("outcome");
                }
                if (verdict.reasons() == null || verdict.reasons().stream().anyMatch(r -> r == null || r.code() == null)) {
                    missing.add("reasons");
                }
                if (verdict.decidedBy() == null || verdict.decidedBy().kind() == null || verdict.decidedBy().id() == null) {
                    missing.add("decidedBy");
                }
                if (verdict.decidedAt() == null) {
                    missing.add("decidedAt");
                }
                if (verdict.signature() == null) {
                    missing.add("signature");
                }
                if (!missing.isEmpty()) {
                    fail(service, seq, label + ": the verdict has no " + String.join(", ", missing));
                    return;
                }
                String what = "verdict of revision " + verdict.revision();
                Agency onTopic;
                try {
                    onTopic = Topics.agencyOfVerdictTopic(topic);
                } catch (IllegalArgumentException e) {
                    fail(service, seq, label + ": " + topic + " is the verdict topic of no agency");
                    return;
                }
                if (verdict.agency() != onTopic) {
                    fail(service, seq, label + ": a " + what + " of agency " + verdict.agency().id() + " on the topic of agency " + onTopic.id());
                }
                if (!verdict.applicationId().equals(applicationId)) {
                    fail(service, seq, label + ": the " + what + " is about application " + verdict.applicationId() + ", not " + applicationId);
                }
                verdicts.add(new SeenVerdict(verdict, service, seq));

                String agency = verdict.agency().id();
                List<SigningKey> agencyKeys = keysOfService(agency + "-check");
                byte[] signature = base64(verdict.signature());
                byte[] content = verdict.signedContent().getBytes(StandardCharsets.UTF_8);
                Instant decidedAt = verdict.decidedAt();
                if (agencyKeys.isEmpty()) {
                    fail(service, seq, label + ": no part of the bundle holds the keys of agency " + agency + " (service " + agency
                            + "-check) to check the " + what + " with");
                    return;
                }
                if (signature == null) {
                    fail(service, seq, label + ": altered verdict: the signature of the " + what + " is not Base64");
                    return;
                }
                Optional<SigningKey> key = signerOf(agencyKeys, content, signature, decidedAt);
                if (key.isEmpty()) {
                    Optional<SigningKey> other = otherSignerOf(agencyKeys, content, signature);
                    if (other.isPresent()) {
                        fail(service, seq, label + ": " + what + " signed by the wrong key: it verifies with " + other.get().name()
                                + ", no key of agency " + agency);
                    } else {
                        fail(service, seq, label + ": altered verdict: the signature of the " + what
                                + " does not verify with any key of agency " + agency);
                    }
                } else if (!key.get().signsAt(decidedAt)) {
                    fail(service, seq, label + ": " + what + " signed by a key not valid at its decision time: decided at " + decidedAt
                            + ", signed by key " + key.get().kid() + ", " + key.get().validity());
                } else {
                    pass(service, seq, label + ": " + what + " (" + verdict.outcome() + " by " + verdict.decidedBy().kind() + ":"
                            + verdict.decidedBy().id() + ", decided at " + decidedAt + ") signed by key " + key.get().kid() + " of " + agency
                            + ", valid then");
                }
            }

            private void checkRecordSignature(long seq, String label, Entry entry, Map<String, String> headers, byte[] value,
                    String signer, Instant recorded) {
                String header = headers.get(RecordSignature.HEADER);
                if (header == null) {
                    fail(service, seq, label + ": the record has no " + RecordSignature.HEADER + ": it is not signed by " + signer);
                    return;
                }
                List<SigningKey> signerKeys = keysOfSigner(signer);
                if (signerKeys.isEmpty()) {
                    fail(service, seq, label + ": no part of the bundle holds the keys of " + signer + " to check the record's signature with");
                    return;
                }
                byte[] signature = base64(header);
                if (signature == null) {
                    fail(service, seq, label + ": its " + RecordSignature.HEADER + " is not Base64");
                    return;
                }
                byte[] message;
                try {
                    message = RecordSignature.signedMessage(entry.topic(), entry.key(), headers, value);
                } catch (IllegalArgumentException e) {
                    return; // reported with the content hash
                }
                Optional<SigningKey> key = signerOf(signerKeys, message, signature, recorded);
                if (key.isEmpty()) {
                    Optional<SigningKey> other = otherSignerOf(signerKeys, message, signature);
                    fail(service, seq, label + ": " + other.map(k -> "record signed by the wrong key: it verifies with " + k.name()
                            + ", no key of " + signer).orElse("altered record: its " + RecordSignature.HEADER
                            + " does not verify with any key of " + signer));
                } else if (recorded != null && !key.get().signsAt(recorded)) {
                    fail(service, seq, label + ": record signed by key " + key.get().kid() + " outside its validity: recorded at " + recorded
                            + ", but the key is " + key.get().validity());
                } else {
                    pass(service, seq, label + ": record signed by key " + key.get().kid() + " of " + signer);
                }
            }

            // -------------------------------------------------------------- summary

            private void summarise() {
                boolean failed = findings.subList(firstFinding, findings.size()).stream()
                        .anyMatch(f -> f.status() == Finding.Status.FAILS && f.service().equals(service));
                if (!failed) {
                    int entries = part.entries() == null ? 0 : part.entries().size();
                    String seals = sealNotes.isEmpty() ? "no seal" : String.join("; ", sealNotes);
                    String chain = segments.isEmpty() ? "no chain" : "chain " + segments.stream().map(Segment::range)
                            .collect(Collectors.joining(", ")) + " intact";
                    pass(service, null, entries + (entries == 1 ? " entry" : " entries") + ", " + chain + ", " + seals);
                } else {
                    for (int i = 0; i < sealNotes.size(); i++) {
                        pass(service, sealNoteSeqs.get(i), "seal at " + sealNoteSeqs.get(i) + ": " + sealNotes.get(i));
                    }
                }
            }
        }

        // ----------------------------------------------------------------------------- rule sets and trust

        private void checkRuleSets() {
            List<EvidenceBundle.RuleSet> ruleSets = bundle.ruleSets() == null ? List.of() : bundle.ruleSets();
            for (EvidenceBundle.RuleSet ruleSet : ruleSets) {
                if (ruleSet == null) {
                    fail(BUNDLE, null, "one of its rule sets is empty (null)");
                    continue;
                }
                String service = ruleSet.agency() == null ? BUNDLE : ruleSet.agency().toLowerCase(java.util.Locale.ROOT) + "-check";
                String what = "rule set of agency " + ruleSet.agency() + " for revision " + ruleSet.revision() + " ("
                        + (ruleSet.decidedBy() == null ? "no decider" : ruleSet.decidedBy().kind() + ":" + ruleSet.decidedBy().id())
                        + ", decided at " + ruleSet.decidedAt() + ")";
                Optional<SeenVerdict> match = verdicts.stream().filter(seen -> ruleSet.agency() != null
                        && seen.verdict().agency().id().equalsIgnoreCase(ruleSet.agency())
                        && seen.verdict().revision() == ruleSet.revision()
                        && Objects.equals(seen.verdict().decidedBy(), ruleSet.decidedBy())
                        && Objects.equals(seen.verdict().decidedAt(), ruleSet.decidedAt())).findFirst();
                if (match.isPresent()) {
                    pass(service, null, what + " is the one its verdict (entry " + match.get().seq() + ") names");
                } else {
                    fail(service, null, what + " matches no verdict in the bundle");
                }
            }
        }

        /** The timeline is not signed and proves nothing; an event that names no entry of the bundle is worth a warning. */
        private void checkTimeline() {
            for (EvidenceBundle.TimelineEvent event : nonNull(bundle.timeline())) {
                if (event == null) {
                    continue;
                }
                boolean named = parts.stream().filter(p -> Objects.equals(p.service(), event.service()))
                        .flatMap(p -> nonNull(p.entries()).stream()).anyMatch(e -> e != null && e.seq() == event.seq()
                                && (e.headers() == null || Objects.equals(e.headers().get("ce_type"), event.type())));
                if (!named) {
                    warn(event.service() == null ? BUNDLE : event.service(), null, "the timeline's event " + event.type() + " at " + event.at()
                            + " names no entry " + event.seq() + " of " + event.service() + " in the bundle");
                }
            }
        }

        private void checkTrust() {
            Map<String, List<ServiceEvidence>> bySigner = parts.stream().filter(p -> p.signer() != null)
                    .collect(Collectors.groupingBy(ServiceEvidence::signer, LinkedHashMap::new, Collectors.toList()));
            if (trusted == null) {
                warn(BUNDLE, null, "no --trust file: every key above is the bundle's own, so the bundle proves only that it is "
                        + "consistent; compare each signer's key ids below with its published document (GET /eport/keys/<signer>), "
                        + "or run again with --trust keys.json");
                bySigner.forEach((signer, signed) -> {
                    String list = signed.stream().flatMap(p -> nonNull(p.keys()).stream()).filter(Objects::nonNull).distinct()
                            .map(k -> k.kid() + " (" + validity(k) + ")").collect(Collectors.joining(", "));
                    warn(names.get(signed.get(0)), null, "signer " + signer + " has keys " + (list.isEmpty() ? "(none)" : list));
                });
                return;
            }
            Map<String, List<KeyDocument.PublishedKey>> trustedBySigner = new LinkedHashMap<>();
            for (KeyDocument document : trusted) {
                trustedBySigner.computeIfAbsent(document.agency(), a -> new ArrayList<>()).addAll(nonNull(document.keys()));
            }
            bySigner.forEach((signer, signed) -> {
                String service = names.get(signed.get(0));
                List<KeyDocument.PublishedKey> trustedKeys = trustedBySigner.get(signer);
                if (trustedKeys == null) {
                    fail(service, null, "the trust file has no key document of signer " + signer + ": none of its keys is trusted");
                    return;
                }
                List<String> matched = new ArrayList<>();
                boolean allTrusted = true;
                Set<String> done = new HashSet<>();
                for (EvidenceBundle.Key key : signed.stream().flatMap(p -> nonNull(p.keys()).stream()).filter(Objects::nonNull).toList()) {
                    if (!done.add(key.kid() + "\n" + key.x509())) {
                        continue;
                    }
                    Optional<KeyDocument.PublishedKey> same = trustedKeys.stream().filter(t -> t != null && Objects.equals(t.kid(), key.kid())).findFirst();
                    if (same.isEmpty()) {
                        fail(service, null, "key " + key.kid() + " of signer " + signer + " is not in the trusted keys of " + signer);
                        allTrusted = false;
                    } else if (!Objects.equals(same.get().x509(), key.x509())) {
                        fail(service, null, "key " + key.kid() + " of signer " + signer + " is not the trusted key " + key.kid()
                                + ": its x509 differs");
                        allTrusted = false;
                    } else if (!Objects.equals(same.get().validFrom(), key.validFrom()) || !Objects.equals(same.get().validUntil(), key.validUntil())
                            || !Objects.equals(same.get().revokedFrom(), key.revokedFrom())) {
                        fail(service, null, "key " + key.kid() + " of signer " + signer + " is " + validity(key) + " in the bundle, but "
                                + validity(new EvidenceBundle.Key(key.kid(), key.x509(), same.get().validFrom(), same.get().validUntil(),
                                        same.get().revokedFrom())) + " in the trusted keys");
                        allTrusted = false;
                    } else {
                        matched.add(key.kid());
                    }
                }
                if (allTrusted) {
                    pass(service, null, "the keys of signer " + signer + " (" + String.join(", ", matched) + ") are the trusted ones");
                }
            });
        }

        // ----------------------------------------------------------------------------- findings

        private void fail(String service, Long seq, String message) {
            findings.add(new Finding(Finding.Status.FAILS, service, seq, message));
        }

        private void pass(String service, Long seq, String message) {
            findings.add(new Finding(Finding.Status.HOLDS, service, seq, message));
        }

        private void warn(String service, Long seq, String message) {
            findings.add(new Finding(Finding.Status.WARN, service, seq, message));
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** The topic's one writer, where the topic is one of ours. */
    static Optional<String> writerOf(String topic) {
        if (topic.equals(Topics.APPLICATIONS)) {
            return Optional.of("intake");
        }
        if (topic.equals(Topics.TELECOM)) {
            return Optional.of("telecom");
        }
        if (topic.equals(Topics.CARDS)) {
            return Optional.of("card-issuance");
        }
        if (topic.startsWith(VERDICTS_PREFIX)) {
            return Optional.of(topic.substring(VERDICTS_PREFIX.length()) + "-check");
        }
        if (topic.startsWith(Topics.deadlinesPrefix())) {
            return Optional.of(topic.substring(Topics.deadlinesPrefix().length()) + "-check");
        }
        if (topic.startsWith(READS_PREFIX)) {
            return Optional.of(topic.substring(READS_PREFIX.length()));
        }
        return Optional.empty();
    }

    private static String validity(EvidenceBundle.Key key) {
        StringBuilder text = new StringBuilder("valid from ").append(key.validFrom());
        text.append(key.validUntil() == null ? " on" : " until " + key.validUntil());
        if (key.revokedFrom() != null) {
            text.append(", revoked from ").append(key.revokedFrom());
        }
        return text.toString();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static byte[] base64(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] hash32(String text) {
        byte[] bytes = base64(text);
        return bytes != null && bytes.length == 32 ? bytes : null;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static String quoted(String text) {
        return text == null ? "nothing" : "\"" + text + "\"";
    }
}
