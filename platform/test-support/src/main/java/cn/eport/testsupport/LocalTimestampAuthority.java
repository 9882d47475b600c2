package cn.eport.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A real RFC 3161 time-stamping authority over HTTP (RFC 3161 section 3.4), for tests: it listens on
 * 127.0.0.1 on a free port, takes a {@code POST} of a DER {@code TimeStampReq} with content type
 * {@value #QUERY_TYPE} and answers a DER {@code TimeStampResp} with content type {@value #REPLY_TYPE}.
 *
 * <p>Its tokens are signed with SHA256withECDSA (P-256) by a self-signed certificate made at start,
 * whose extended key usage is {@code id-kp-timeStamping} only, marked critical (RFC 3161 section 2.3);
 * the token carries that certificate when the request asks for it ({@code certReq}), under policy
 * {@link #POLICY}. A test can make it fail ({@link #failWith}) or move its clock ({@link #clockOffset}).
 */
public final class LocalTimestampAuthority implements AutoCloseable {

    public static final String QUERY_TYPE = "application/timestamp-query";
    public static final String REPLY_TYPE = "application/timestamp-reply";
    /** The TSA policy its tokens name (a private-enterprise arc meant for examples). */
    public static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");

    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final X509Certificate certificate;
    private final TimeStampResponseGenerator responses;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong serials = new AtomicLong(1);
    private volatile int failingWith;
    private volatile Duration clockOffset = Duration.ZERO;

    private LocalTimestampAuthority(HttpServer server, ExecutorService executor, X509Certificate certificate,
            TimeStampResponseGenerator responses) {
        this.server = server;
        this.executor = executor;
        this.certificate = certificate;
        this.responses = responses;
    }

    /** A new authority with a new key and certificate, listening on 127.0.0.1 at a free port. */
    public static LocalTimestampAuthority start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(keys);

            SignerInfoGenerator signer = new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", keys.getPrivate(), certificate);
            DigestCalculator certIdDigest = new JcaDigestCalculatorProviderBuilder().build()
                    .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(signer, certIdDigest, POLICY);
            // Put in the token only when the request says certReq: the generator honours it.
            tokens.addCertificates(new JcaCertStore(List.of(certificate)));
            tokens.setAccuracySeconds(1);
            TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);

            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "local-tsa");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            LocalTimestampAuthority authority = new LocalTimestampAuthority(server, executor, certificate, responses);
            server.createContext("/", authority::handle);
            server.start();
            return authority;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the local time-stamping authority", e);
        } catch (GeneralSecurityException | OperatorCreationException | TSPException e) {
            throw new IllegalStateException("could not set up the local time-stamping authority", e);
        }
    }

    /** Where to POST time-stamp queries: {@code http://127.0.0.1:<port>/tsa}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/tsa";
    }

    /** The authority's certificate: self-signed, {@code id-kp-timeStamping} critical. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The time-stamp replies served so far (granted or rejected; not the answers of an outage). */
    public int requests() {
        return requests.get();
    }

    /** From now on, answer every request with this HTTP status and no body, as an authority that is down. */
    public void failWith(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("an outage answers 4xx or 5xx, not " + httpStatus);
        }
        failingWith = httpStatus;
    }

    /** Serve time-stamps again after {@link #failWith}. */
    public void recover() {
        failingWith = 0;
    }

    /** Make the tokens' genTime this much later (or, negative, earlier) than the real time. */
    public void clockOffset(Duration offset) {
        clockOffset = offset;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int failing = failingWith;
            if (failing != 0) {
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(failing, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(QUERY_TYPE)) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            }
            if (body.length > MAX_REQUEST_BYTES) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            TimeStampRequest request;
            try {
                request = new TimeStampRequest(body);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] reply;
            try {
                Date genTime = Date.from(Instant.now().plus(clockOffset));
                TimeStampResponse response;
                // Bouncy Castle's token generator holds one content signer, which is not thread-safe: two requests
                // at once would sign each other's digests (found by the verifier under the seals of nine services).
                synchronized (responses) {
                    response = responses.generate(request, BigInteger.valueOf(serials.getAndIncrement()), genTime);
                }
                reply = response.getEncoded();
            } catch (TSPException e) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", REPLY_TYPE);
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=Local Test TSA,O=eport tests");
        Instant now = Instant.now();
        // Wide validity, so that a test may move the clock by days either way and the token still validates.
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(365))), Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
