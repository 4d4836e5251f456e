package dev.tally.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Frontier's webhook signature: {@code X-Signature: <secret id>=<hex HMAC-SHA512/256 of the body>},
 * keyed with the hex-decoded secret. SHA-512/256 is SHA-512 truncated to 256 bits with its own
 * initial values (FIPS 180-4); the JDK names its HMAC "HmacSHA512/256".
 */
public final class Signature {
    public static final String HEADER = "X-Signature";
    static final String ALGORITHM = "HmacSHA512/256";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {}

    /** A new secret: 32 random bytes in hex. */
    static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The X-Signature header value for {@code body}. */
    public static String header(String secretId, String secretHex, byte[] body) {
        return secretId + "=" + hmacHex(secretHex, body);
    }

    /** Lowercase hex HMAC-SHA512/256 of {@code body}, keyed with the hex-decoded secret. */
    public static String hmacHex(String secretHex, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(secretHex), ALGORITHM));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK 11 or newer", e);
        }
    }
}
