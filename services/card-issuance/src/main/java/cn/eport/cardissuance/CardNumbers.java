package cn.eport.cardissuance;

import cn.eport.identifiers.BusinessRegistrationNumber;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * IC card numbers: {@code LP} (企业法人卡) or {@code OP} (企业操作员卡), a ten-digit sequence and an
 * ISO 7064 MOD 11,10 check digit over those ten digits, e.g. {@code LP00000000013}.
 */
@Component
class CardNumbers {

    enum Kind {
        LP,
        OP
    }

    private final JdbcClient jdbc;

    CardNumbers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The numbers of one card set: the legal-person card's first, then {@code operators} operator cards'. */
    List<String> forSet(int operators) {
        List<Long> sequences = jdbc.sql("SELECT nextval('card_number_seq') FROM generate_series(0, ?)")
                .param(operators).query(Long.class).list();
        List<String> numbers = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            numbers.add(format(i == 0 ? Kind.LP : Kind.OP, sequences.get(i)));
        }
        return numbers;
    }

    /** The number of one new card of {@code kind}: a replacement, or an operator added to an issued set. */
    String next(Kind kind) {
        return format(kind, jdbc.sql("SELECT nextval('card_number_seq')").query(Long.class).single());
    }

    static String format(Kind kind, long sequence) {
        String digits = String.format("%010d", sequence);
        return kind.name() + digits + BusinessRegistrationNumber.checkDigit(digits);
    }
}
