package cn.eport.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalTimestampAuthorityTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalTimestampAuthority tsa;

    @BeforeAll
    static void start() {
        tsa = LocalTimestampAuthority.start();
    }

    @AfterAll
    static void stop() {
        tsa.close();
    }

    @Test
    void grantsAVerifiableTokenOverTheRequestedDigestWithItsCertificate() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("a sealed head".getBytes(StandardCharsets.UTF_8));
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        BigInteger nonce = new BigInteger(64, new SecureRandom());
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, digest, nonce);
        int before = tsa.requests();
        Instant sent = Instant.now();

        HttpResponse<byte[]> answer = post(request.getEncoded(), LocalTimestampAuthority.QUERY_TYPE);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(LocalTimestampAuthority.REPLY_TYPE);
        TimeStampResponse response = new TimeStampResponse(answer.body());
        response.validate(request); // status granted, imprint, nonce and policy as asked, certificate when asked
        TimeStampToken token = response.getTimeStampToken();
        assertThat(token).isNotNull();
        assertThat(token.getTimeStampInfo().getNonce()).isEqualTo(nonce);
        assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest);
        assertThat(token.getTimeStampInfo().getPolicy()).isEqualTo(LocalTimestampAuthority.POLICY);
        assertThat(token.getTimeStampInfo().getGenTime().toInstant())
                .isBetween(sent.minusSeconds(2), Instant.now().plusSeconds(2));

        Store<X509CertificateHolder> certificates = token.getCertificates();
        @SuppressWarnings("unchecked") // SignerId is a raw Selector
        Collection<X509CertificateHolder> signers = certificates.getMatches(token.getSID());
        assertThat(signers).hasSize(1);
        X509CertificateHolder included = signers.iterator().next();
        assertThat(included.getEncoded()).isEqualTo(tsa.certificate().getEncoded());
        Extension eku = included.getExtension(Extension.extendedKeyUsage);
        assertThat(eku.isCritical()).isTrue();
        assertThat(ExtendedKeyUsage.getInstance(eku.getParsedValue()).hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping)).isTrue();
        assertThat(token.isSignatureValid(new JcaSimpleSignerInfoVerifierBuilder().build(included))).isTrue();
        token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(included)); // signature, ESSCertID, EKU, validity
        assertThat(tsa.requests()).isEqualTo(before + 1);
    }

    @Test
    void tokensAskedForAtOnceEachVerify() throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 600; i++) {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(("request " + i).getBytes());
                answers.add(clients.submit(() -> {
                    TimeStampRequest request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, digest);
                    TimeStampResponse response = new TimeStampResponse(post(request.getEncoded(), LocalTimestampAuthority.QUERY_TYPE).body());
                    response.validate(request);
                    return response.getTimeStampToken().isSignatureValid(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.certificate()));
                }));
            }
            for (java.util.concurrent.Future<Boolean> answer : answers) {
                assertThat(answer.get()).as("each token signed over its own request").isTrue();
            }
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void leavesTheCertificateOutWhenNotAsked() throws Exception {
        TimeStampRequest request = new TimeStampRequestGenerator().generate(TSPAlgorithms.SHA256, new byte[32]);

        TimeStampResponse response = new TimeStampResponse(post(request.getEncoded(), LocalTimestampAuthority.QUERY_TYPE).body());

        response.validate(request);
        assertThat(response.getTimeStampToken().getCertificates().getMatches(null)).isEmpty();
        assertThat(response.getTimeStampToken().isSignatureValid(new JcaSimpleSignerInfoVerifierBuilder().build(tsa.certificate()))).isTrue();
    }

    @Test
    void movesItsClockAndFailsAndRecoversOnRequest() throws Exception {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, new byte[32], BigInteger.TEN);

        tsa.clockOffset(Duration.ofHours(-1));
        try {
            TimeStampResponse early = new TimeStampResponse(post(request.getEncoded(), LocalTimestampAuthority.QUERY_TYPE).body());
            early.validate(request);
            assertThat(early.getTimeStampToken().getTimeStampInfo().getGenTime().toInstant())
                    .isBefore(Instant.now().minus(Duration.ofMinutes(59)));
        } finally {
            tsa.clockOffset(Duration.ZERO);
        }

        int served = tsa.requests();
        tsa.failWith(503);
        try {
            assertThat(post(request.getEncoded(), LocalTimestampAuthority.QUERY_TYPE).statusCode()).isEqualTo(503);
        } finally {
            tsa.recover();
        }
        assertThat(tsa.requests()).isEqualTo(served);
        assertThat(post(request.getEncoded(), LocalTimestampAuthority.QUERY_TYPE).statusCode()).isEqualTo(200);
        assertThat(post(request.getEncoded(), "application/json").statusCode()).isEqualTo(415);
        assertThat(post("not DER".getBytes(StandardCharsets.US_ASCII), LocalTimestampAuthority.QUERY_TYPE).statusCode()).isEqualTo(400);
    }

    private static HttpResponse<byte[]> post(byte[] body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tsa.url())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
