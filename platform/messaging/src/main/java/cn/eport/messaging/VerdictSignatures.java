package cn.eport.messaging;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.ApprovalWithdrawn;
import cn.eport.contracts.SignedVerdict;
import cn.eport.contracts.VerdictIssued;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 signatures over {@link VerdictIssued#signedContent()}: an agency service signs with its
 * private key, every reader of verdicts verifies with the configured public keys. A verdict whose
 * agency has no configured key does not verify. Keys are the standard encodings (PKCS#8, X.509), so
 * any Ed25519 implementation can produce or check the signatures; this one is Bouncy Castle's.
 *
 * <p>Verdicts decided together are also signed together ({@link #signAll}): besides its own signature,
 * each carries its place in the batch's Merkle tree and the one signature of the tree's root
 * ({@link VerdictIssued.SignatureBatch}). A reader then checks the root's signature once and each
 * verdict by a few SHA-256 hashes: the roots verified last are remembered. Ed25519 verification was
 * the largest single cost of reading verdicts (three readers of six verdicts an application).
 */
public final class VerdictSignatures {

    /** What a batch root's signature covers before the root's 32 bytes, so that it can never be taken for a verdict's. */
    static final byte[] BATCH_ROOT_PREFIX = "eport-verdict-batch:".getBytes(StandardCharsets.US_ASCII);
    private static final int VERIFIED_ROOTS = 4096;

    private final @Nullable Ed25519PrivateKeyParameters signingKey;
    private final Map<Agency, List<KeyPeriod>> publicKeys;
    /** The keys of the signers that are not agencies (intake, telecom, card issuance): one each, valid for all time. */
    private final Map<String, List<KeyPeriod>> serviceKeys;
    private final LongAdder signed = new LongAdder();
    private final LongAdder verified = new LongAdder();
    /** Batch roots whose signature verified, by agency and root signature: the root it signs. */
    private final Map<String, String> verifiedRoots = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > VERIFIED_ROOTS;
        }
    };

    /**
     * One of an agency's public keys, and when it may have signed ({@link SigningSettings.HistoricKey}).
     *
     * @param id      the key's id: the first 12 bytes of the SHA-256 of its X.509 encoding, Base64url
     * @param encoded the X.509 encoding, Base64
     */
    public record KeyPeriod(String id, Ed25519PublicKeyParameters key, String encoded, Instant validFrom,
            @Nullable Instant validUntil, @Nullable Instant revokedFrom) {

        boolean signsAt(Instant at) {
            return !at.isBefore(validFrom) && (validUntil == null || at.isBefore(validUntil));
        }

        boolean revokedAt(Instant at) {
            return revokedFrom != null && !at.isBefore(revokedFrom);
        }
    }

    VerdictSignatures(@Nullable Ed25519PrivateKeyParameters signingKey, Map<Agency, List<KeyPeriod>> publicKeys) {
        this(signingKey, publicKeys, Map.of());
    }

    private VerdictSignatures(@Nullable Ed25519PrivateKeyParameters signingKey, Map<Agency, List<KeyPeriod>> publicKeys,
            Map<String, List<KeyPeriod>> serviceKeys) {
        this.signingKey = signingKey;
        this.publicKeys = publicKeys;
        this.serviceKeys = Map.copyOf(serviceKeys);
    }

    public static VerdictSignatures from(SigningSettings settings) {
        Map<Agency, List<KeyPeriod>> publicKeys = new EnumMap<>(Agency.class);
        for (Agency agency : Agency.values()) {
            List<SigningSettings.HistoricKey> history = settings.keyHistory().getOrDefault(agency.id(), List.of());
            String key = settings.publicKeys().get(agency.id());
            if (!history.isEmpty()) {
                publicKeys.put(agency, history.stream().map(h -> period(agency, h.key(), h.validFrom(), h.validUntil(), h.revokedFrom()))
                        .sorted(Comparator.comparing(KeyPeriod::validFrom)).toList());
            } else if (key != null && !key.isBlank()) {
                publicKeys.put(agency, List.of(period(agency, key, Instant.EPOCH, null, null)));
            }
        }
        Map<String, List<KeyPeriod>> serviceKeys = new LinkedHashMap<>();
        settings.publicKeys().forEach((signer, key) -> {
            if (key != null && !key.isBlank() && Arrays.stream(Agency.values()).noneMatch(agency -> agency.id().equals(signer))) {
                serviceKeys.put(signer, List.of(period(signer, key, Instant.EPOCH, null, null)));
            }
        });
        String privateKey = settings.privateKey();
        return new VerdictSignatures(privateKey == null || privateKey.isBlank() ? null : Ed25519Keys.privateKey(privateKey), publicKeys,
                serviceKeys);
    }

    /**
     * Fails unless this service can sign as {@code agency}: it has a private key and, where the
     * agency's public key is configured, the two belong together. Agency services call this at start-up.
     */
    public void requireSigningKeyOf(Agency agency) {
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key (EPORT_SIGNING_PRIVATE_KEY) is not set: the "
                    + agency.id() + " check signs every verdict it publishes and cannot start without its key");
        }
        VerdictIssued probe = new VerdictIssued(new UUID(0, 0), 1, agency, Outcome.APPROVED, List.of(),
                new Decider(Decider.Kind.RULES, "key-check"), Instant.now(), "");
        Optional<String> problem = publicKeys.containsKey(agency) ? problemWith(sign(probe)) : Optional.empty();
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get().startsWith("signed by key")
                    ? "eport.signing.private-key is a revoked key of agency " + agency + ": " + problem.get()
                    : "eport.signing.private-key does not belong to the configured public key of agency " + agency
                            + " valid now (" + problem.get() + ")");
        }
    }

    /** The verdict with its signature; only a service configured with its agency's private key may sign. */
    public VerdictIssued sign(VerdictIssued verdict) {
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key is not configured: this service cannot sign verdicts");
        }
        return verdict.withSignature(Base64.getEncoder().encodeToString(signBytes(verdict.signedContent().getBytes(StandardCharsets.UTF_8))));
    }

    /** The withdrawal with its signature, by the same key and over the same kind of lines as a verdict. */
    public ApprovalWithdrawn sign(ApprovalWithdrawn withdrawal) {
        if (signingKey == null) {
            throw new IllegalStateException("eport.signing.private-key is not configured: this service cannot sign withdrawals");
        }
        return withdrawal.withSignature(Base64.getEncoder().encodeToString(signBytes(withdrawal.signedContent().getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * The verdicts, each signed, and, when there are several, signed together too: one Merkle tree
     * over them whose root is signed once, each verdict carrying its inclusion path.
     */
    public List<VerdictIssued> signAll(List<VerdictIssued> verdicts) {
        List<VerdictIssued> signed = verdicts.stream().map(this::sign).toList();
        if (signed.size() < 2) {
            return signed;
        }
        MerkleTree tree = MerkleTree.of(signed.stream().map(VerdictIssued::signedContent).toList());
        byte[] root = tree.root();
        String rootSignature = Base64.getEncoder().encodeToString(signBytes(batchRootMessage(root)));
        List<VerdictIssued> batched = new ArrayList<>(signed.size());
        for (int i = 0; i < signed.size(); i++) {
            List<String> path = tree.path(i).stream().map(Base64.getEncoder()::encodeToString).toList();
            batched.add(signed.get(i).withBatch(new VerdictIssued.SignatureBatch(i, signed.size(), path, rootSignature)));
        }
        return batched;
    }

    private byte[] signBytes(byte[] content) {
        signed.increment();
        return Ed25519Keys.sign(signingKey, content);
    }

    private static byte[] batchRootMessage(byte[] root) {
        byte[] message = Arrays.copyOf(BATCH_ROOT_PREFIX, BATCH_ROOT_PREFIX.length + root.length);
        System.arraycopy(root, 0, message, BATCH_ROOT_PREFIX.length, root.length);
        return message;
    }

    /**
     * Why the verdict's signature does not verify against its agency's key that could sign at its
     * decision time; empty when it does. A verdict of a batch verifies by its batch's root signature
     * (checked once per root and key); one whose batch does not verify is checked by its own signature.
     * A verdict signed by a key revoked before its decision time does not count.
     */
    public Optional<String> problemWith(SignedVerdict verdict) {
        List<KeyPeriod> history = publicKeys.get(verdict.agency());
        if (history == null) {
            return Optional.of("no public key is configured for agency " + verdict.agency());
        }
        Instant at = verdict.decidedAt();
        List<KeyPeriod> candidates = history.stream().filter(period -> period.signsAt(at)).toList();
        if (candidates.isEmpty()) {
            return Optional.of("no key of agency " + verdict.agency() + " signs verdicts decided at " + at);
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(verdict.signature());
        } catch (IllegalArgumentException e) {
            return Optional.of("signature is malformed: " + e.getMessage());
        }
        for (KeyPeriod period : candidates) {
            boolean signed = (verdict instanceof VerdictIssued issued && issued.batch() != null && verifiesInBatch(issued, period))
                    || verifies(period.key(), verdict.signedContent().getBytes(StandardCharsets.UTF_8), signature);
            if (signed) {
                return period.revokedAt(at)
                        ? Optional.of("signed by key " + period.id() + " of agency " + verdict.agency() + ", revoked from "
                                + period.revokedFrom() + ", for a verdict decided at " + at)
                        : Optional.empty();
            }
        }
        return Optional.of("signature does not verify with the public key of agency " + verdict.agency());
    }

    /** An agency's public keys over time, oldest first, as configured; empty when it has none. */
    public List<KeyPeriod> historyOf(Agency agency) {
        return publicKeys.getOrDefault(agency, List.of());
    }

    /**
     * A signer's public keys over time, oldest first: an agency's by its id ({@link #historyOf(Agency)}),
     * another signer's (intake, telecom, card issuance) its one configured key; empty when it has none.
     */
    public List<KeyPeriod> historyOf(String signer) {
        for (Agency agency : Agency.values()) {
            if (agency.id().equals(signer)) {
                return historyOf(agency);
            }
        }
        return serviceKeys.getOrDefault(signer, List.of());
    }

    /** The id {@link KeyPeriod#id()} gives the public key that belongs to {@code privateKey}. */
    static String idOfKeyPair(Ed25519PrivateKeyParameters privateKey) {
        return idOf(Ed25519Keys.x509(privateKey.generatePublicKey()));
    }

    private static String idOf(byte[] x509) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(x509);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static KeyPeriod period(Agency agency, String encoded, Instant validFrom, @Nullable Instant validUntil,
            @Nullable Instant revokedFrom) {
        return period(agency.id(), encoded, validFrom, validUntil, revokedFrom);
    }

    private static KeyPeriod period(String signer, String encoded, Instant validFrom, @Nullable Instant validUntil,
            @Nullable Instant revokedFrom) {
        String id;
        try {
            id = idOf(Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a public key of " + signer + " is not Base64", e);
        }
        return new KeyPeriod(id, Ed25519Keys.publicKey(signer, encoded), encoded, validFrom, validUntil, revokedFrom);
    }

    private boolean verifiesInBatch(VerdictIssued verdict, KeyPeriod period) {
        Ed25519PublicKeyParameters key = period.key();
        VerdictIssued.SignatureBatch batch = verdict.batch();
        List<byte[]> path = new ArrayList<>(batch.path().size());
        try {
            batch.path().forEach(hash -> path.add(Base64.getDecoder().decode(hash)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        Optional<byte[]> root = MerkleTree.rootFrom(MerkleTree.leafHash(verdict.signedContent()), batch.index(), batch.size(), path);
        if (root.isEmpty()) {
            return false;
        }
        String rootText = Base64.getEncoder().encodeToString(root.get());
        String signed = period.id() + ":" + batch.rootSignature();
        synchronized (verifiedRoots) {
            if (rootText.equals(verifiedRoots.get(signed))) {
                return true;
            }
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(batch.rootSignature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!verifies(key, batchRootMessage(root.get()), signature)) {
            return false;
        }
        synchronized (verifiedRoots) {
            verifiedRoots.put(signed, rootText);
        }
        return true;
    }

    private boolean verifies(Ed25519PublicKeyParameters key, byte[] content, byte[] signature) {
        verified.increment();
        return Ed25519Keys.verifies(key, content, signature);
    }

    /** Signatures made by this instance, for the {@code eport.signatures.made} meter. */
    public long signedCount() {
        return signed.sum();
    }

    /** Signatures checked by this instance, for the {@code eport.signatures.verified} meter. */
    public long verifiedCount() {
        return verified.sum();
    }
}
