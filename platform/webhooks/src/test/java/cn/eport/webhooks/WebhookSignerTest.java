package cn.eport.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import cn.eport.webhooks.WebhookSigner.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignerTest {

    // The example the Standard Webhooks reference libraries test against.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(1614265330);
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final WebhookSigner signer = new WebhookSigner(SECRET);

    @Test
    void signsTheSpecificationsExampleToItsPublishedSignature() {
        WebhookHeaders headers = signer.sign(ID, SIGNED_AT, BODY);

        assertThat(headers).isEqualTo(new WebhookHeaders(ID, 1614265330, EXPECTED));
        assertThat(headers.asMap()).containsOnly(
                entry("webhook-id", ID), entry("webhook-timestamp", "1614265330"), entry("webhook-signature", EXPECTED));
    }

    @Test
    void verifiesThePublishedExampleWithinFiveMinutesEitherWay() {
        assertThat(signer.verify(ID, "1614265330", EXPECTED, BODY, SIGNED_AT)).isEqualTo(Verification.VALID);
        assertThat(signer.verify(ID, "1614265330", EXPECTED, BODY, SIGNED_AT.plus(Duration.ofMinutes(5)))).isEqualTo(Verification.VALID);
        assertThat(signer.verify(ID, "1614265330", EXPECTED, BODY, SIGNED_AT.minus(Duration.ofMinutes(5)))).isEqualTo(Verification.VALID);
    }

    @Test
    void refusesATimestampMoreThanFiveMinutesFromNowAgainstReplays() {
        assertThat(signer.verify(ID, "1614265330", EXPECTED, BODY, SIGNED_AT.plusSeconds(301)))
                .isEqualTo(Verification.TIMESTAMP_OUT_OF_TOLERANCE);
        assertThat(signer.verify(ID, "1614265330", EXPECTED, BODY, SIGNED_AT.minusSeconds(301)))
                .isEqualTo(Verification.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void refusesAChangedBodyIdOrTimestamp() {
        byte[] otherBody = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.verify(ID, "1614265330", EXPECTED, otherBody, SIGNED_AT)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(signer.verify("msg_other", "1614265330", EXPECTED, BODY, SIGNED_AT)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(signer.verify(ID, "1614265331", EXPECTED, BODY, SIGNED_AT)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() {
        WebhookSigner other = new WebhookSigner(WebhookSigner.newSecret());
        String forged = other.sign(ID, SIGNED_AT, BODY).signature();

        assertThat(signer.verify(ID, "1614265330", forged, BODY, SIGNED_AT)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @Test
    void acceptsWhenAnyOfSeveralSpaceSeparatedSignaturesMatchesAndSkipsOtherVersions() {
        String rotated = "v1,bm90IHRoZSBzaWduYXR1cmU= v1a,aGVsbG8gd29ybGQ= " + EXPECTED;

        assertThat(signer.verify(ID, "1614265330", rotated, BODY, SIGNED_AT)).isEqualTo(Verification.VALID);
        assertThat(signer.verify(ID, "1614265330", "v1a," + EXPECTED.substring(3), BODY, SIGNED_AT))
                .isEqualTo(Verification.NO_MATCHING_SIGNATURE);
        assertThat(signer.verify(ID, "1614265330", "", BODY, SIGNED_AT)).isEqualTo(Verification.NO_MATCHING_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-number", "-1614265330", "1614265330.5"})
    void callsAnUnreadableTimestampMalformed(String timestamp) {
        assertThat(signer.verify(ID, timestamp, EXPECTED, BODY, SIGNED_AT)).isEqualTo(Verification.MALFORMED);
    }

    @Test
    void aSignedWebhookVerifiesWithTheSameSecretOnly() {
        String secret = WebhookSigner.newSecret();
        WebhookHeaders headers = new WebhookSigner(secret).sign("evt-42", SIGNED_AT, BODY);

        assertThat(new WebhookSigner(secret).verify(headers.id(), Long.toString(headers.timestamp()), headers.signature(), BODY, SIGNED_AT))
                .isEqualTo(Verification.VALID);
        assertThat(signer.verify(headers.id(), Long.toString(headers.timestamp()), headers.signature(), BODY, SIGNED_AT).valid())
                .isFalse();
    }

    @Test
    void aNewSecretIsWhsecFollowedByTheBase64OfThirtyTwoRandomBytes() {
        String secret = WebhookSigner.newSecret();

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);
        assertThat(WebhookSigner.newSecret()).isNotEqualTo(secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", // no whsec_ prefix
            "whsec_not base64!",
            "whsec_c2hvcnQ=", // five bytes: far below the specification's 24
    })
    void refusesASecretNotInTheWhsecFormOrTooShort(String secret) {
        assertThatThrownBy(() -> new WebhookSigner(secret)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "msg.1", "msg 1", "msg\n1"})
    void refusesToSignAMessageIdWithADotSpaceOrControlCharacter(String id) {
        assertThatThrownBy(() -> signer.sign(id, SIGNED_AT, BODY)).isInstanceOf(IllegalArgumentException.class);
    }
}
