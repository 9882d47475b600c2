package cn.eport.contracts;

import java.util.Locale;

/** The six agencies of the joint review, each of which publishes its verdicts on its own topic. */
public enum Agency {
    QUALITY("质量技术监督局", "Quality and Technical Supervision Bureau", "组织机构代码证"),
    COMMERCE("工商行政管理局", "Administration for Industry and Commerce", "企业法人营业执照"),
    TAX("国家税务局", "State Taxation Bureau", "税务登记证"),
    TRADE("外经贸委", "Foreign Trade and Economic Cooperation Commission", "进出口企业资格证书 / 外商投资企业批准证书"),
    FOREX("国家外汇管理局", "State Administration of Foreign Exchange", "外汇核销资格"),
    CUSTOMS("海关", "Customs", "报关单位登记注册证明 / 报关员证");

    private final String zhName;
    private final String enName;
    private final String documentChecked;

    Agency(String zhName, String enName, String documentChecked) {
        this.zhName = zhName;
        this.enName = enName;
        this.documentChecked = documentChecked;
    }

    /** The lower-case id used in topic names, consumer groups and configuration: {@code tax}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Agency ofId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    public String zhName() {
        return zhName;
    }

    public String enName() {
        return enName;
    }

    /** The document this agency reviews, by its official Chinese name. */
    public String documentChecked() {
        return documentChecked;
    }
}
