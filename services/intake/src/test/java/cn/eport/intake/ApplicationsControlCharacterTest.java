package cn.eport.intake;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * Intake on real PostgreSQL, with real tokens: a control or bidirectional character anywhere in the
 * form is a 400 naming the field, and nothing is stored. A NUL used to reach the jsonb column and
 * fail there with a 500; a right-to-left override used to be stored and sent to every agency.
 */
@SpringBootTest(classes = IntakeApplication.class, properties = {"spring.config.name=intake", "server.port=0"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class ApplicationsControlCharacterTest {

    private static final String APPLICANT = "enterprise-control-characters";
    private static final String APPLICANT_WITHOUT_APPLICATIONS = "enterprise-control-characters-nul";

    @Autowired
    MockMvc http;

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aNulInTheEnterpriseNameIsA400NamingTheFieldAndNothingIsStored() throws Exception {
        submit(APPLICANT_WITHOUT_APPLICATIONS, SampleForm.valid().with("enterprise.name", "福州榕城\u0000进出口贸易有限公司"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/invalid-input"))
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.name"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"))
                .andExpect(jsonPath("$.errors[0].message", containsString("U+0000 (NULL)")));

        http.perform(get("/api/applications").header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.applicant(APPLICANT_WITHOUT_APPLICATIONS)))
                .andExpect(status().isOk())
                .andExpect(content().json("[]"));
    }

    @Test
    void aRightToLeftOverrideInTheAddressIsA400NamingTheField() throws Exception {
        submit(APPLICANT, SampleForm.valid().with("enterprise.address", "福州市鼓楼区\u202E号1路四五"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.address"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"))
                .andExpect(jsonPath("$.errors[0].message", containsString("RIGHT-TO-LEFT OVERRIDE")));
    }

    @Test
    void anAmendmentIsCheckedTheSameWayDownToAnOperatorsName() throws Exception {
        String created = submit(APPLICANT, SampleForm.valid().with("enterprise.name", "福州鼓楼进出口贸易有限公司"))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        String id = json.readTree(created).get("applicationId").asString();

        http.perform(put("/api/applications/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.applicant(APPLICANT))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(SampleForm.valid().with("operators[1]", SampleForm.operator("王\u2066磊",
                                SampleForm.idNumber("350103", "19900921", "015"), "BG35010002")).json()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("operators[1].name"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"));
    }

    private ResultActions submit(String applicant, SampleForm form) throws Exception {
        return http.perform(post("/api/applications").header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.applicant(applicant))
                .contentType(MediaType.APPLICATION_JSON).content(form.json()));
    }
}
