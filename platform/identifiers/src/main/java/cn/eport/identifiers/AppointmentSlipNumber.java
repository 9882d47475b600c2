package cn.eport.identifiers;

/**
 * The appointment slip number (预约单号) intake hands the enterprise at submission: {@code YY}, the
 * four-digit year of issue, an eight-digit sequence and an ISO 7064 MOD 11,10 check digit over the
 * twelve digits, e.g. {@code YY2026000000011}. The check digit catches a mistyped slip at the counter.
 */
public final class AppointmentSlipNumber {

    private AppointmentSlipNumber() {
    }

    public static String of(int year, long sequence) {
        String digits = String.format("%04d%08d", year, sequence);
        return "YY" + digits + BusinessRegistrationNumber.checkDigit(digits);
    }

    public static boolean isWellFormed(String slip) {
        return slip.matches("YY[0-9]{13}") && slip.charAt(14) == BusinessRegistrationNumber.checkDigit(slip.substring(2, 14));
    }
}
