package dev.tally.webhooks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** X-Signature is HMAC-SHA512/256 (not a truncated HMAC-SHA512), keyed with the hex-decoded secret. */
class SignatureTest {
    private static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void theSignatureMatchesAnIndependentHmacSha512Slash256() {
        byte[] body = "{\"id\":\"e1\",\"action\":\"app.billing.credit.granted\"}".getBytes(StandardCharsets.UTF_8);

        // Computed with Python: hmac.new(bytes.fromhex(SECRET), body, "sha512_256").hexdigest()
        assertThat(Signature.header("1", SECRET, body))
                .isEqualTo("1=6efb2a740ca98a6e29e2a5e7a7b25dbcdf1a39d628d83093eab94d5c69b12d91");
    }

    @Test
    void newSecretsAre32RandomBytesInHex() {
        assertThat(Signature.newSecret()).matches("[0-9a-f]{64}").isNotEqualTo(Signature.newSecret());
    }
}
