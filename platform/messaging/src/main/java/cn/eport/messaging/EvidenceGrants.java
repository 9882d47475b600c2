package cn.eport.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.jspecify.annotations.Nullable;

/**
 * Lets intake fetch each service's part of one case's evidence bundle for a caller it has authorized
 * (the enterprise that owns the case, or ops): a grant is intake's Ed25519 signature over
 * {@code eport-evidence-grant:}, the application id and the expiry (epoch seconds), valid for two
 * minutes, sent as {@value #HEADER}: {@code <application id>.<expiry>.<signature, Base64url>}. A grant
 * opens one case's part and nothing else, and needs no secret beyond the key intake already signs with.
 */
public final class EvidenceGrants {

    public static final String HEADER = "X-Eport-Evidence-Grant";
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private final @Nullable Ed25519PrivateKeyParameters intakeKey;
    private final List<VerdictSignatures.KeyPeriod> intakePublicKeys;
    private final Clock clock;

    EvidenceGrants(@Nullable Ed25519PrivateKeyParameters intakeKey, List<VerdictSignatures.KeyPeriod> intakePublicKeys, Clock clock) {
        this.intakeKey = intakeKey;
        this.intakePublicKeys = intakePublicKeys;
        this.clock = clock;
    }

    /** A grant to read {@code applicationId}'s evidence; only intake, which holds its key, issues them. */
    public String issue(UUID applicationId) {
        if (intakeKey == null) {
            throw new IllegalStateException("only intake issues evidence grants");
        }
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        byte[] signature = Ed25519Keys.sign(intakeKey, message(applicationId, expires));
        return applicationId + "." + expires + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** Whether {@code grant} is intake's, unexpired, for {@code applicationId}. */
    public boolean permits(@Nullable String grant, UUID applicationId) {
        if (grant == null || grant.length() > 200) {
            return false;
        }
        String[] parts = grant.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(applicationId.toString())) {
            return false;
        }
        try {
            long expires = Long.parseLong(parts[1]);
            Instant now = clock.instant();
            if (expires < now.getEpochSecond() || expires > now.plus(LIFETIME).plusSeconds(30).getEpochSecond()) {
                return false;
            }
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            byte[] message = message(applicationId, expires);
            return intakePublicKeys.stream().anyMatch(key -> !key.revokedAt(now) && Ed25519Keys.verifies(key.key(), message, signature));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] message(UUID applicationId, long expires) {
        return ("eport-evidence-grant:" + applicationId + "\n" + expires).getBytes(StandardCharsets.US_ASCII);
    }
}
