package cn.eport.contracts;

/** An agency's verdict. APPROVED and REJECTED are final; REFERRED waits for a reviewer. */
public enum Outcome {
    APPROVED,
    REJECTED,
    REFERRED;

    public boolean isFinal() {
        return this != REFERRED;
    }
}
