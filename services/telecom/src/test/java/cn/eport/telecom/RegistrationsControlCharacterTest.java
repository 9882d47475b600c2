package cn.eport.telecom;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.RealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The telecom counter refuses a control or bidirectional character in what the clerk keys in with a
 * 400 naming the field, before it looks anything up: a NUL in the slip number, a right-to-left
 * override in the enterprise code, a line break after the card number.
 */
@SpringBootTest(classes = TelecomApplication.class, properties = "spring.config.name=telecom")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class RegistrationsControlCharacterTest {

    @Autowired
    MockMvc http;

    @Test
    void aNulInTheSlipNumberIsA400NamingTheField() throws Exception {
        register("{\"slipNumber\": \"YY20260000\\u00000011\", \"enterpriseCode\": \"M000100Y-4\", \"networkCardNumber\": \"17999900001\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("slipNumber"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"))
                .andExpect(jsonPath("$.errors[0].message", containsString("U+0000 (NULL)")));
    }

    @Test
    void aRightToLeftOverrideInTheEnterpriseCodeAndALineBreakAfterTheCardAreEachNamed() throws Exception {
        register("{\"slipNumber\": \"YY2026000000011\", \"enterpriseCode\": \"\\u202E4-Y001000M\", \"networkCardNumber\": \"17999900001\\n\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterpriseCode"))
                .andExpect(jsonPath("$.errors[0].message", containsString("RIGHT-TO-LEFT OVERRIDE")))
                .andExpect(jsonPath("$.errors[1].field").value("networkCardNumber"))
                .andExpect(jsonPath("$.errors[1].message", containsString("U+000A")));
    }

    private ResultActions register(String body) throws Exception {
        return http.perform(post("/api/registrations").header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.telecom("telecom-clerk-cc"))
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
