package cn.eport.messaging;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import java.security.cert.CertificateException;
import java.util.Collection;

/**
 * An RFC 3161 time-stamping authority over HTTP (RFC 3161 section 3.4): asks it to timestamp a SHA-256
 * digest and returns the token's DER, after checking that the reply answers this request (status
 * granted, same digest and nonce, the authority's certificate included) and that the token's
 * signature verifies with that certificate.
 */
final class TimestampAuthority {

    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    TimestampAuthority(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    byte[] timestamp(byte[] sha256) throws IOException {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(NISTObjectIdentifiers.id_sha256, sha256, new BigInteger(64, random));
        HttpResponse<byte[]> reply;
        try {
            reply = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the time-stamping authority", e);
        }
        if (reply.statusCode() != 200) {
            throw new IOException("the time-stamping authority " + url + " answered HTTP " + reply.statusCode());
        }
        if (reply.body().length > MAX_REPLY_BYTES) {
            throw new IOException("the time-stamping authority's reply is larger than " + MAX_REPLY_BYTES + " bytes");
        }
        try {
            TimeStampResponse response = new TimeStampResponse(reply.body());
            response.validate(request);
            TimeStampToken token = response.getTimeStampToken();
            if (token == null) {
                throw new IOException("the time-stamping authority refused: " + response.getStatusString());
            }
            verifySignature(token);
            return token.getEncoded();
        } catch (TSPException e) {
            throw new IOException("the time-stamping authority's reply does not answer the request: " + e.getMessage(), e);
        }
    }

    /**
     * A token is kept only when its signature verifies with the authority's certificate it carries, as
     * the offline verifier will check it: a seal with a token that does not verify is worth nothing.
     */
    private static void verifySignature(TimeStampToken token) throws IOException {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> certificates = token.getCertificates().getMatches(token.getSID());
        if (certificates.isEmpty()) {
            throw new IOException("the time-stamping authority's token carries no certificate of its signer");
        }
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(certificates.iterator().next()));
        } catch (TSPException | OperatorCreationException | CertificateException e) {
            throw new IOException("the time-stamping authority's token does not verify: " + e.getMessage(), e);
        }
    }

    URI url() {
        return url;
    }
}
