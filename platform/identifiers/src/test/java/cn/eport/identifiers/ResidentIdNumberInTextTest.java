package cn.eport.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResidentIdNumberInTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            11010519491231002X                       | 110***********002X
            holder 350102198503140027 unreadable     | holder 350***********0027 unreadable
            报关员11010519491231002x与登记不符           | 报关员110***********002x与登记不符
            two 11010519491231002X and 350102198503140027 | two 110***********002X and 350***********0027
            110***********002X stays as it is        | 110***********002X stays as it is
            a USCC 91350100M000100Y43 is no person   | a USCC 91350100M000100Y43 is no person
            a longer run 1101051949123100271 is not one | a longer run 1101051949123100271 is not one
            slip YY2026000000013                     | slip YY2026000000013
            """)
    void masksEveryWholeResidentIdNumberAndNothingElse(String text, String shown) {
        assertThat(ResidentIdNumber.maskedWithin(text)).isEqualTo(shown);
    }
}
