package cn.eport.contracts;

/** How an application reached intake. */
public enum Channel {
    /** Submitted by the enterprise itself. */
    ONLINE,
    /** Keyed in by a customs clerk from the enterprise's paper forms (纸面审核后录入). */
    PAPER
}
