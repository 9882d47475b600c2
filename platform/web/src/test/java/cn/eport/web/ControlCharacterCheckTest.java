package cn.eport.web;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The check in front of every JSON request body: a control, format or bidirectional character in any
 * string, however deep, is a 400 in the field-level format of {@link ApiProblems} naming the field by
 * its path; clean text, and bodies that are not JSON, pass as they came. A control character in a header
 * that a handler reads is a 400 too.
 */
class ControlCharacterCheckTest {

    private static final String INVALID_INPUT = "https://eport.cn/problems/invalid-input";

    // Spring Security's firewall wraps every request as in a service, where it checks each header when it is read.
    private final MockMvc http = MockMvcBuilders.standaloneSetup(new Echo())
            .setControllerAdvice(new ApiProblems(), new ControlCharacterCheck(JsonMapper.builder().build()))
            .addFilter((request, response, chain) ->
                    chain.doFilter(new StrictHttpFirewall().getFirewalledRequest((HttpServletRequest) request), response))
            .build();

    @Test
    void aNulInANestedListIsA400NamingTheFieldByItsPath() throws Exception {
        send("/form", """
                {"enterprise": {"name": "榕城贸易", "address": "福州"}, "operators": [{"name": "陈\\u0000静", "address": "福州"}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(INVALID_INPUT))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("operators[0].name"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"))
                .andExpect(jsonPath("$.errors[0].message", containsString("U+0000 (NULL), a control character at character 2")));
    }

    @Test
    void aRightToLeftOverrideIsNamedAsABidirectionalControl() throws Exception {
        send("/form", """
                {"enterprise": {"name": "榕城贸易", "address": "福州市\\u202E号1路四五"}, "operators": []}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.address"))
                .andExpect(jsonPath("$.errors[0].message", containsString("U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control")));
    }

    @Test
    void everyBadFieldIsNamedOnceInTheOrderOfTheBody() throws Exception {
        send("/form", """
                {"enterprise": {"name": "\\u200F\\u200F", "address": "\\u2066福州\\u2069"},
                 "operators": [{"name": "ok", "address": "ok"}, {"name": "王\\u00ADlei", "address": "ok"}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("3 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field", contains("enterprise.name", "enterprise.address", "operators[1].name")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\t", "\\n", "\\r", "\\u2028", "\\u0085", "\\u007F", "\\ud800"})
    void tabsLineBreaksOtherControlsAndHalfSurrogatesAreRefusedToo(String escaped) throws Exception {
        send("/form", "{\"enterprise\": {\"name\": \"榕城" + escaped + "贸易\", \"address\": \"福州\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.name"))
                .andExpect(jsonPath("$.errors[0].code").value("CONTROL_CHARACTER"));
    }

    @Test
    void stringsOfAnyShapeAreCheckedMapValuesRootArraysAndRootStrings() throws Exception {
        send("/anything", "{\"notes\": {\"first\": \"fine\", \"second\": \"\\u200B\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("notes.second"));
        send("/anything", "[{\"a\": [1, true, null, \"x\\u0007\"]}]")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("[0].a[3]"));
        send("/anything", "\"\\u0000\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"));
    }

    @Test
    void aFieldNameWithAControlCharacterIsNamedWithTheCharacterMadeVisible() throws Exception {
        send("/anything", "{\"enterprise\": {\"na\\u0000me\": \"榕城\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.na\\u0000me"))
                .andExpect(jsonPath("$.errors[0].message", containsString("is a field name that holds U+0000")));
    }

    @Test
    void aBodyFullOfBadStringsGetsABoundedAnswer() throws Exception {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            many.append(i == 0 ? "" : ",").append("\"\\u0000\"");
        }
        send("/anything", many.append(']').toString())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(ControlCharacterCheck.MAX_ERRORS)));
    }

    @Test
    void cleanTextReachesTheHandlerUnchanged() throws Exception {
        String clean = "{\"enterprise\":{\"name\":\"福州榕城进出口贸易有限公司　𠀀😀\",\"address\":\"五四路１号\uE000\"},\"operators\":[]}";

        send("/form", clean).andExpect(status().isOk()).andExpect(content().json(clean));
    }

    @Test
    void malformedJsonIsStillReportedAsMalformedNotAsAControlCharacter() throws Exception {
        send("/form", "{\"enterprise\": {\"name\": \"\\u0000\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/malformed-body"));
    }

    @Test
    void aBodyInAnotherDeclaredCharsetIsCheckedAsDecoded() throws Exception {
        // 0x85 is NEXT LINE (U+0085) in ISO-8859-1; a raw control, not an escape.
        byte[] latin1 = "{\"enterprise\": {\"name\": \"M\u0085ller\", \"address\": \"Bremen\"}}".getBytes(StandardCharsets.ISO_8859_1);

        http.perform(post("/form").contentType("application/json;charset=ISO-8859-1").content(latin1))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.name"))
                .andExpect(jsonPath("$.errors[0].message", containsString("U+0085")));
    }

    @Test
    void aBodyThatIsNotJsonIsLeftToItsEndpoint() throws Exception {
        http.perform(post("/text").contentType(MediaType.TEXT_PLAIN).content("a\u0000b"))
                .andExpect(status().isOk())
                .andExpect(content().string("3"));
    }

    @Test
    void aControlCharacterInAHeaderTheHandlerReadsIsA400NotA500() throws Exception {
        http.perform(post("/keyed").header("Idempotency-Key", "key\u0000").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(INVALID_INPUT))
                .andExpect(jsonPath("$.errors[0].field").value("request"))
                .andExpect(jsonPath("$.errors[0].code").value("NOT_ALLOWED"));
        http.perform(post("/keyed").header("Idempotency-Key", "key-1").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isOk())
                .andExpect(content().string("key-1"));
    }

    private ResultActions send(String path, String json) throws Exception {
        return http.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    @RestController
    static class Echo {

        record Person(String name, String address) {
        }

        record Form(Person enterprise, List<Person> operators) {
        }

        @PostMapping(path = "/form", consumes = MediaType.APPLICATION_JSON_VALUE)
        Form form(@RequestBody Form form) {
            return form;
        }

        @PostMapping(path = "/anything", consumes = MediaType.APPLICATION_JSON_VALUE)
        Map<String, String> anything(@RequestBody JsonNode body) {
            return Map.of("read", body.getNodeType().name());
        }

        @PostMapping(path = "/keyed", consumes = MediaType.APPLICATION_JSON_VALUE)
        String keyed(@RequestHeader("Idempotency-Key") String key, @RequestBody JsonNode body) {
            return key;
        }

        @PostMapping(path = "/text", consumes = MediaType.TEXT_PLAIN_VALUE)
        String text(@RequestBody String body) {
            return String.valueOf(body.length());
        }
    }
}
