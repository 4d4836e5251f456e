package dev.tally.common;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    @Test
    void canonicalUuidsParseInEitherCase() {
        UUID id = UUID.randomUUID();
        assertThat(Ids.tryParse(id.toString())).contains(id);
        assertThat(Ids.tryParse(id.toString().toUpperCase(java.util.Locale.ROOT))).contains(id);
    }

    @Test
    void shortFormsAndNearMissesAreNotIds() {
        assertThat(Ids.tryParse("1-2-3-4-5")).isEmpty();
        assertThat(Ids.tryParse("0b7c3f4e-0000-4000-8000-00000000000")).isEmpty();
        assertThat(Ids.tryParse("0b7c3f4e-0000-4000-8000-0000000000001")).isEmpty();
        assertThat(Ids.tryParse("0b7c3f4e00000-4000-8000-000000000001")).isEmpty();
        assertThat(Ids.tryParse("0b7c3f4g-0000-4000-8000-000000000001")).isEmpty();
        assertThat(Ids.tryParse("0b7c3f4e-0000-4000-8000-00000000000\u0661")).isEmpty();
        assertThat(Ids.tryParse("+b7c3f4e-0000-4000-8000-000000000001")).isEmpty();
        assertThat(Ids.tryParse(null)).isEmpty();
    }
}
