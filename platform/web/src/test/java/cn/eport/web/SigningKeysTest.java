package cn.eport.web;

import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.testsupport.DevKeys;
import cn.eport.testsupport.RealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Each agency's key history, as configured in properties, served to anyone as one JWKS-like document
 * per agency: the tax agency's two keys with their validity and revocation, the customs agency's one key
 * valid for all time, and no document for an agency that does not exist.
 */
@SpringBootTest(classes = SigningKeysTest.App.class, properties = {"spring.config.name=web-test",
        "eport.signing.key-history.tax[0].key=MCowBQYDK2VwAyEAB9Z4ySbjzHLKVZbepvqYJ7wjMWlwiyqnw9LkVeojeQs=",
        "eport.signing.key-history.tax[0].valid-from=2026-01-01T00:00:00Z",
        "eport.signing.key-history.tax[0].valid-until=2026-12-02T00:00:00Z",
        "eport.signing.key-history.tax[0].revoked-from=2026-12-10T00:00:00Z",
        "eport.signing.key-history.tax[1].key=MCowBQYDK2VwAyEAzLk1zeV500lvYphQsMQiH9HEbUV4gY2PStRo/WiHvN0=",
        "eport.signing.key-history.tax[1].valid-from=2026-12-01T00:00:00Z"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class SigningKeysTest {

    @Autowired
    MockMvc http;

    @Test
    void everyAgencysKeysAreServedWithWhenEachMaySignToAnyoneWithoutAToken() throws Exception {
        http.perform(get("/eport/keys/tax")).andExpect(status().isOk())
                .andExpect(jsonPath("$.agency").value("tax"))
                .andExpect(jsonPath("$.keys.length()").value(2))
                .andExpect(jsonPath("$.keys[0].kty").value("OKP"))
                .andExpect(jsonPath("$.keys[0].crv").value("Ed25519"))
                .andExpect(jsonPath("$.keys[0].x").value("B9Z4ySbjzHLKVZbepvqYJ7wjMWlwiyqnw9LkVeojeQs"))
                .andExpect(jsonPath("$.keys[0].validFrom").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.keys[0].validUntil").value("2026-12-02T00:00:00Z"))
                .andExpect(jsonPath("$.keys[0].revokedFrom").value("2026-12-10T00:00:00Z"))
                .andExpect(jsonPath("$.keys[1].x509").value("MCowBQYDK2VwAyEAzLk1zeV500lvYphQsMQiH9HEbUV4gY2PStRo/WiHvN0="))
                .andExpect(jsonPath("$.keys[1].validUntil").value(nullValue()));
        http.perform(get("/eport/keys/customs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.keys.length()").value(1))
                .andExpect(jsonPath("$.keys[0].x509").value(DevKeys.publicKeyOf("customs")))
                .andExpect(jsonPath("$.keys[0].validFrom").value("1970-01-01T00:00:00Z"));
        http.perform(get("/eport/keys/mars")).andExpect(status().isNotFound());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
