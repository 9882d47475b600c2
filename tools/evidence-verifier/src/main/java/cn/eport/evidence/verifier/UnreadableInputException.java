package cn.eport.evidence.verifier;

/** The input cannot be read as what it should be (a bundle, a trust file): nothing was verified. */
public final class UnreadableInputException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnreadableInputException(String message) {
        super(message);
    }
}
