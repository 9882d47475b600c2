package cn.eport.web;

import cn.eport.messaging.VerdictSignatures;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Each signer's keys over time (an agency's verdict keys; intake's, telecom's and card issuance's one
 * key, which also seal their decision logs), as this service trusts them: one JWKS-like document per agency
 * ({@code GET /eport/keys/tax}), public like the contracts. A verdict counts when a key of its agency
 * signs at its decision time and was not revoked by then.
 */
@RestController
class SigningKeysController {

    /** One key: the JWK members of an Ed25519 public key (RFC 8037), and when it may sign. */
    record Key(String kid, String kty, String crv, String use, String x, String x509, Instant validFrom,
            @Nullable Instant validUntil, @Nullable Instant revokedFrom) {
    }

    record KeyHistory(String agency, List<Key> keys) {
    }

    private final VerdictSignatures signatures;

    SigningKeysController(VerdictSignatures signatures) {
        this.signatures = signatures;
    }

    @GetMapping("/eport/keys/{signer}")
    KeyHistory keysOf(@PathVariable String signer) {
        String name = signer.toLowerCase(Locale.ROOT);
        List<VerdictSignatures.KeyPeriod> history = signatures.historyOf(name);
        if (history.isEmpty() || name.length() > 40) {
            throw new ApiProblems.NotFound("No keys of " + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                    + " (quality, commerce, tax, trade, forex, customs, intake, telecom, card-issuance)");
        }
        List<Key> keys = history.stream()
                .map(period -> new Key(period.id(), "OKP", "Ed25519", "sig",
                        Base64.getUrlEncoder().withoutPadding().encodeToString(period.key().getEncoded()), period.encoded(),
                        period.validFrom(), period.validUntil(), period.revokedFrom()))
                .toList();
        return new KeyHistory(name, keys);
    }
}
