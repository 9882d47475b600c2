package cn.eport.contracts;

/** Decides which foreign-trade certificate the enterprise must hold. */
public enum EnterpriseType {
    /** 内资企业: needs the import/export enterprise qualification certificate (进出口企业资格证书). */
    DOMESTIC,
    /** 外商投资企业: needs the foreign-invested enterprise approval certificate (外商投资企业批准证书). */
    FOREIGN_INVESTED
}
