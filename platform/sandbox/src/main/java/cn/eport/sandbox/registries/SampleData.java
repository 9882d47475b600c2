package cn.eport.sandbox.registries;

import cn.eport.contracts.EnterpriseType;
import cn.eport.identifiers.BusinessRegistrationNumber;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.identifiers.UnifiedSocialCreditCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A few hundred enterprises of Fujian with well-formed identifiers (every check character right),
 * generated from a fixed seed so every sandbox holds the same ones; most are clean, some have a
 * revoked, expired, expiring, suspended or unknown certificate, or a name the registry spells
 * otherwise. The first is the enterprise of the standards' examples (USCC 91350100M000100Y43).
 */
public final class SampleData {

    public static final int SIZE = 300;

    private static final String[] CITIES = {"福州", "厦门", "泉州", "漳州", "莆田", "宁德", "三明", "南平", "龙岩", "福清"};
    private static final String[] AREAS = {"350100", "350200", "350500", "350600", "350300", "350900", "350400", "350700", "350800", "350181"};
    private static final String[] WORDS = {"鑫海", "闽榕", "华安", "盛达", "永泰", "海峡", "东方", "恒通", "兴业", "宏远", "金桥", "瑞丰",
            "榕江", "丝路", "远航", "晋江", "鹭岛", "武夷"};
    private static final String[] TRADES = {"进出口贸易", "外贸", "船舶进出口", "茶业", "鞋业", "服装", "电子", "机械设备", "食品", "工艺品"};
    private static final String[] SURNAMES = {"林", "陈", "黄", "张", "吴", "王", "李", "郑", "刘", "蔡", "杨", "许"};
    private static final String[] GIVEN = {"晓明", "静", "磊", "娜", "伟", "芳", "建华", "丽", "志强", "秀英", "海燕", "国平"};
    private static final String USCC_ALPHABET_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private SampleData() {
    }

    public static List<SampleEnterprise> enterprises() {
        Random random = new Random(2001);
        List<SampleEnterprise> all = new ArrayList<>(SIZE);
        all.add(standardsExample());
        SampleEnterprise.Fate[] fates = SampleEnterprise.Fate.values();
        for (int i = 1; i < SIZE; i++) {
            SampleEnterprise.Fate fate = i % 10 < 7 ? SampleEnterprise.Fate.CLEAN : fates[1 + (i / 10 * 3 + i % 10) % (fates.length - 1)];
            all.add(enterprise(random, i, fate));
        }
        return all;
    }

    /** The enterprise whose identifiers are the examples in DOMAIN.md, with every record valid. */
    static SampleEnterprise standardsExample() {
        return new SampleEnterprise("榕城进出口贸易有限公司", EnterpriseType.DOMESTIC, "91350100M000100Y43", "M000100Y-4",
                "110108000000016", "350100M000100Y4", "3501910123", "ZMQ-2001-0001", "福州市鼓楼区五四路1号",
                new SampleEnterprise.Person("林晓明", "11010519491231002X"),
                List.of(new SampleEnterprise.Operator("陈静", idNumber("350102", "19850314", "002"), "BG35010001"),
                        new SampleEnterprise.Operator("王磊", idNumber("350103", "19900921", "015"), "BG35010002"),
                        new SampleEnterprise.Operator("李娜", idNumber("350104", "19881212", "024"), "BG35010003")),
                SampleEnterprise.Fate.CLEAN);
    }

    private static SampleEnterprise enterprise(Random random, int index, SampleEnterprise.Fate fate) {
        int city = random.nextInt(CITIES.length);
        String area = AREAS[city];
        StringBuilder body = new StringBuilder();
        for (int c = 0; c < 8; c++) {
            body.append(c < 2 ? USCC_ALPHABET_BODY.charAt(10 + random.nextInt(USCC_ALPHABET_BODY.length() - 10))
                    : (char) ('0' + random.nextInt(10)));
        }
        String code = body.toString() + OrganisationCode.checkCharacter(body.toString());
        String usccBody = "91" + area + code;
        String uscc = usccBody + UnifiedSocialCreditCode.checkCharacter(usccBody);
        String brnBody = area + String.format("%08d", 10_000 + index);
        EnterpriseType type = index % 4 == 0 ? EnterpriseType.FOREIGN_INVESTED : EnterpriseType.DOMESTIC;
        String name = CITIES[city] + WORDS[random.nextInt(WORDS.length)] + TRADES[random.nextInt(TRADES.length)]
                + (index % 5 == 0 ? "股份有限公司" : "有限公司");
        List<SampleEnterprise.Operator> operators = new ArrayList<>();
        for (int o = 0; o < 1 + random.nextInt(3); o++) {
            operators.add(new SampleEnterprise.Operator(person(random), idNumber(area, birthDate(random), sequence(random)),
                    String.format("BG%08d", index * 10 + o)));
        }
        return new SampleEnterprise(name, type, uscc, OrganisationCode.printed(code),
                brnBody + BusinessRegistrationNumber.checkDigit(brnBody), area + code,
                area.substring(0, 4) + "91" + String.format("%04d", index),
                (type == EnterpriseType.FOREIGN_INVESTED ? "SWZ-" : "ZMQ-") + String.format("%06d", 200_100 + index),
                CITIES[city] + "市" + WORDS[random.nextInt(WORDS.length)] + "路" + (1 + random.nextInt(300)) + "号",
                new SampleEnterprise.Person(person(random), idNumber(area, birthDate(random), sequence(random))),
                operators, fate);
    }

    private static String person(Random random) {
        return SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)];
    }

    private static String birthDate(Random random) {
        return String.format("%04d%02d%02d", 1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28));
    }

    private static String sequence(Random random) {
        return String.format("%03d", random.nextInt(1000));
    }

    /** A resident ID number with its check character. */
    public static String idNumber(String area, String birthDate, String sequence) {
        String body = area + birthDate + sequence;
        return body + ResidentIdNumber.checkCharacter(body);
    }
}
