package dev.tally.ops;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which values the plain access log writes unquoted. The character table replaced the regex below;
 * this pins that both accept the same values, so that log lines stay as they were.
 */
class AccessLogBareValueTest {
    private static final Pattern PREVIOUS_RULE = Pattern.compile("[A-Za-z0-9._:/{}@%+=,-]+");

    @Test
    void everyCharacterIsBareExactlyWhenThePreviousRegexAcceptedIt() {
        for (char c = 0; c < 0x3000; c++) {
            String text = "a" + c + "b";
            assertThat(AccessLog.isBare(text)).as("U+%04X", (int) c).isEqualTo(PREVIOUS_RULE.matcher(text).matches());
        }
    }

    @Test
    void typicalValuesAndEdgeCasesAgreeWithThePreviousRegex() {
        for (String text : new String[] {"", " ", "-", "2026-12-02T13:22:43.265Z", "GetBillingBalance",
                "/v1beta1/organizations/{id}/balance", "path with space", "a\"b", "a\nb", "é", "12.5",
                "lb-3f1c", "a=b,c", "x\u0000y"}) {
            assertThat(AccessLog.isBare(text)).as(text).isEqualTo(PREVIOUS_RULE.matcher(text).matches());
        }
    }
}
