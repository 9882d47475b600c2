package cn.eport.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.RealInfrastructure;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service trusts an OIDC provider configured by its issuer alone, as a Keycloak realm would be, over
 * real HTTP (WireMock): keys from the discovery document, the issuer checked, and the provider's
 * own places for roles and agency mapped to the platform's.
 */
@SpringBootTest(classes = OidcIssuerTest.WhoAmIService.class, properties = {"spring.config.name=web-test",
        "eport.security.claims.roles=realm_access.roles", "eport.security.claims.agency=eport_agency",
        "eport.security.claims.role-names.eport-reviewer=REVIEWER", "eport.security.claims.role-names.eport-ops=OPS"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = {RealInfrastructure.class, OidcIssuerTest.Issuer.class})
class OidcIssuerTest {

    static final WireMockServer PROVIDER = new WireMockServer(options().dynamicPort());
    static final RSAKey KEY = newKey("realm-key-1");
    static final RSAKey OTHER_KEY = newKey("realm-key-1");

    static {
        PROVIDER.start();
        String issuer = issuer();
        PROVIDER.stubFor(get(urlEqualTo("/realms/eport/.well-known/openid-configuration")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("""
                        {"issuer": "%s", "jwks_uri": "%s/protocol/openid-connect/certs",
                         "authorization_endpoint": "%s/protocol/openid-connect/auth",
                         "token_endpoint": "%s/protocol/openid-connect/token",
                         "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                         "response_types_supported": ["code"]}""".formatted(issuer, issuer, issuer, issuer))));
        PROVIDER.stubFor(get(urlEqualTo("/realms/eport/protocol/openid-connect/certs")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(new JWKSet(KEY.toPublicJWK()).toString())));
    }

    /** After {@link RealInfrastructure}: the issuer instead of the development key. */
    static class Issuer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            TestPropertyValues.of("spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer(),
                    "spring.security.oauth2.resourceserver.jwt.public-key-location=").applyTo(context);
        }
    }

    @Autowired
    MockMvc http;

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop();
    }

    @Test
    void aTokenOfTheProviderIsTrustedWithItsRolesAndAgencyMappedToThePlatforms() throws Exception {
        String reviewer = token(KEY, issuer(), Map.of("realm_access", Map.of("roles", List.of("eport-reviewer", "offline_access")),
                "eport_agency", "tax"));
        http.perform(whoAmI(reviewer)).andExpect(status().isOk())
                .andExpect(jsonPath("$.subject").value("kc-7f3a"))
                .andExpect(jsonPath("$.roles[0]").value("REVIEWER"))
                .andExpect(jsonPath("$.agency").value("tax"));
        // OPS through the mapping; without it the actuator's metrics stay closed.
        String ops = token(KEY, issuer(), Map.of("realm_access", Map.of("roles", List.of("eport-ops"))));
        http.perform(MockMvcRequestBuilders.get("/actuator/metrics").header(HttpHeaders.AUTHORIZATION, "Bearer " + ops))
                .andExpect(status().isOk());
        http.perform(MockMvcRequestBuilders.get("/actuator/metrics").header(HttpHeaders.AUTHORIZATION, "Bearer " + reviewer))
                .andExpect(status().isForbidden());
        PROVIDER.verify(getRequestedFor(urlEqualTo("/realms/eport/protocol/openid-connect/certs")));
    }

    @Test
    void aTokenFromAnotherIssuerOrSignedByAnotherKeyOrTheDevelopmentKeyIsRefused() throws Exception {
        Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("eport-ops")));
        http.perform(whoAmI(token(KEY, "https://elsewhere.example/realms/eport", claims))).andExpect(status().isUnauthorized());
        http.perform(whoAmI(token(OTHER_KEY, issuer(), claims))).andExpect(status().isUnauthorized());
        http.perform(whoAmI(DevTokens.ops("ops-1"))).andExpect(status().isUnauthorized());
        http.perform(MockMvcRequestBuilders.get("/whoami")).andExpect(status().isUnauthorized());
    }

    private static RequestBuilder whoAmI(String token) {
        return MockMvcRequestBuilders.get("/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    static String issuer() {
        return "http://localhost:" + PROVIDER.port() + "/realms/eport";
    }

    private static String token(RSAKey key, String issuer, Map<String, Object> claims) throws JOSEException {
        JWTClaimsSet.Builder body = new JWTClaimsSet.Builder().issuer(issuer).subject("kc-7f3a")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
        claims.forEach(body::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), body.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey newKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(WhoAmI.class)
    static class WhoAmIService {
    }

    @RestController
    static class WhoAmI {
        @GetMapping("/whoami")
        Map<String, Object> whoAmI(@AuthenticationPrincipal Jwt token) {
            EportUser user = EportUser.from(token);
            Map<String, Object> answer = new TreeMap<>();
            answer.put("subject", user.subject());
            answer.put("roles", user.roles().stream().map(Enum::name).sorted().toList());
            if (user.agency() != null) {
                answer.put("agency", user.agency());
            }
            return answer;
        }
    }
}
