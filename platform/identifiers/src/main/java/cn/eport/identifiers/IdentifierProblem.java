package cn.eport.identifiers;

/** Why a value is not a well-formed identifier of its kind. */
public enum IdentifierProblem {
    WRONG_LENGTH("长度不正确", "has the wrong length"),
    INVALID_CHARACTER("含有不允许的字符", "contains a character that is not allowed"),
    WRONG_CHECK_CHARACTER("校验码不正确，请核对是否录入有误", "has the wrong check character: check it for a typing error"),
    INVALID_BIRTH_DATE("出生日期不存在", "holds a birth date that does not exist");

    private final String zh;
    private final String en;

    IdentifierProblem(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    /** The problem in Chinese, to follow the identifier's name: "组织机构代码" + zh(). */
    public String zh() {
        return zh;
    }

    /** The problem in English, to follow the identifier's name: "organisation code " + en(). */
    public String en() {
        return en;
    }
}
