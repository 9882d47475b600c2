package cn.eport.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"linxm@minjiang-trade.com.cn", "a.b+eport@example.cn", "o'neil@mail.example.org"})
    void acceptsPlainAddresses(String address) {
        assertThat(MailAddress.checked(address)).isEqualTo(address);
    }

    @Test
    void dropsBlanksAroundAnAddress() {
        assertThat(MailAddress.checked("  linxm@example.cn \n")).isEqualTo("linxm@example.cn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linxm", "linxm@", "@example.cn", "linxm@localhost", "lin xm@example.cn", "linxm@@example.cn",
            "linxm@example.cn\r\nBcc: x@evil.example", "林晓明 <linxm@example.cn>", "\"lin\"@example.cn", "linxm@[127.0.0.1]",
            "lin..xm@example.cn", "linxm@-example.cn", "a@b.cn,c@d.cn", "林晓明@example.cn"})
    void refusesWhatIsNotOnePlainAddress(String address) {
        assertThatIllegalArgumentException().isThrownBy(() -> MailAddress.checked(address));
    }

    @Test
    void refusesAnAddressLongerThanRfc5321Allows() {
        String local = "a".repeat(64);
        String domain = ("b".repeat(63) + ".").repeat(3) + "cn"; // 194 characters
        String longest = local + "@" + domain.substring(domain.length() - 189); // 254
        assertThat(longest).hasSize(254);

        assertThat(MailAddress.checked(longest)).isEqualTo(longest);
        assertThatIllegalArgumentException().isThrownBy(() -> MailAddress.checked("a" + longest)).withMessageContaining("at most 254");
    }

    @Test
    void refusesALocalPartLongerThan64Characters() {
        assertThatIllegalArgumentException().isThrownBy(() -> MailAddress.checked("a".repeat(65) + "@example.cn"));
    }
}
