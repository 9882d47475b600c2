package cn.eport.agencycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnterpriseNamesTest {

    static Stream<Arguments> theSameNameWrittenDifferently() {
        return Stream.of(
                Arguments.of("榕城（福州）进出口贸易有限公司", "榕城(福州)进出口贸易有限公司"), // full-width and half-width brackets
                Arguments.of("榕城【福州】进出口贸易有限公司", "榕城(福州)进出口贸易有限公司"), // 【】 are round brackets to a clerk
                Arguments.of("榕城[福州]进出口贸易有限公司", "榕城（福州）进出口贸易有限公司"),   // so are square ones
                Arguments.of("榕城［福州］进出口贸易有限公司", "榕城(福州)进出口贸易有限公司"),   // full-width square
                Arguments.of("榕城〔福州〕进出口贸易有限公司", "榕城(福州)进出口贸易有限公司"),   // tortoise-shell brackets
                Arguments.of("榕城进出口贸易　有限公司", "榕城进出口贸易有限公司"),               // ideographic space
                Arguments.of("榕城 进出口贸易 有限公司", "榕城进出口贸易有限公司"),               // ASCII spaces
                Arguments.of(" 榕城进出口贸易有限公司\t", "榕城进出口贸易有限公司"),              // leading and trailing blanks
                Arguments.of("榕城\u00A0进出口贸易有限公司", "榕城进出口贸易有限公司"),           // no-break space
                Arguments.of("ＴＣＭ榕城进出口贸易有限公司", "TCM榕城进出口贸易有限公司"),        // full-width Latin letters
                Arguments.of("榕城第２进出口贸易有限公司", "榕城第2进出口贸易有限公司"),          // full-width digits
                Arguments.of("tcm榕城进出口贸易有限公司", "TCM榕城进出口贸易有限公司"),           // case of Latin letters
                Arguments.of("ｔｃｍ 榕城（福州）进出口贸易有限公司", "TCM榕城【福州】进出口贸易有限公司"), // all at once
                Arguments.of("Rongcheng Trading Co., Ltd.", "RONGCHENG TRADING CO.,LTD."));
    }

    @ParameterizedTest(name = "[{0}] = [{1}]")
    @MethodSource("theSameNameWrittenDifferently")
    void treatsWidthsSpacesBracketKindsAndLetterCaseAsTheSameName(String registered, String onTheForm) {
        assertThat(EnterpriseNames.same(registered, onTheForm)).isTrue();
        assertThat(EnterpriseNames.same(onTheForm, registered)).isTrue();
        assertThat(EnterpriseNames.normalised(registered)).isEqualTo(EnterpriseNames.normalised(onTheForm));
    }

    static Stream<Arguments> differentNames() {
        return Stream.of(
                Arguments.of("榕城进出口贸易有限公司", "榕城进出口贸易有限责任公司"),     // another legal form
                Arguments.of("榕城(福州)进出口贸易有限公司", "榕城(厦门)进出口贸易有限公司"), // another city in the brackets
                Arguments.of("榕城(福州)进出口贸易有限公司", "榕城福州进出口贸易有限公司"),  // brackets count, only their kind does not
                Arguments.of("榕城进出口贸易有限公司", "蓉城进出口贸易有限公司"),         // one character
                Arguments.of("榕城进出口贸易有限公司", "榕城进出口贸易有限公司福州分公司"), // a branch is not the enterprise
                Arguments.of("TCM榕城进出口贸易有限公司", "TCN榕城进出口贸易有限公司"),
                Arguments.of("陈静", "陈晶"));                                               // an operator's name
    }

    @ParameterizedTest(name = "[{0}] != [{1}]")
    @MethodSource("differentNames")
    void tellsNamesThatReallyDifferApart(String registered, String onTheForm) {
        assertThat(EnterpriseNames.same(registered, onTheForm)).isFalse();
        assertThat(EnterpriseNames.same(onTheForm, registered)).isFalse();
    }

    static Stream<Arguments> normalForms() {
        return Stream.of(
                Arguments.of("榕城（福州）进出口贸易　有限公司", "榕城(福州)进出口贸易有限公司"),
                Arguments.of("榕城【福州】［分部］〔一〕", "榕城(福州)(分部)(一)"),
                Arguments.of("ｔｃｍ Ｔrading", "TCMTRADING"));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @MethodSource("normalForms")
    void normalisesToHalfWidthUpperCaseRoundBracketsWithoutSpaces(String name, String normalised) {
        assertThat(EnterpriseNames.normalised(name)).isEqualTo(normalised);
    }
}
