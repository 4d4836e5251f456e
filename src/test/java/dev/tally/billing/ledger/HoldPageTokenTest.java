package dev.tally.billing.ledger;

import dev.tally.common.PageCursor;
import dev.tally.common.PageTokens;
import dev.tally.common.TallyException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HoldPageTokenTest {
    private static final UUID ACCOUNT = UUID.randomUUID();
    private static final HoldPageToken TOKEN = new HoldPageToken(ACCOUNT, Instant.parse("2026-12-02T04:00:00.123456Z"),
            UUID.randomUUID());

    @Test
    void aTokenDecodesToTheHoldItWasMadeAfter() {
        assertThat(HoldPageToken.decode(TOKEN.encode(), ACCOUNT)).isEqualTo(TOKEN);
    }

    @Test
    void aTokenIsRefusedOnAnotherAccount() {
        assertThatThrownBy(() -> HoldPageToken.decode(TOKEN.encode(), UUID.randomUUID()))
                .isInstanceOf(TallyException.class)
                .hasMessage("page_token: issued for another billing account");
    }

    @Test
    void aTokenOfAnotherListOfTheSameAccountIsRefused() {
        String historyToken = PageTokens.encode(HistoryFilter.of(Optional.empty(), Optional.empty(), "", "")
                        .pageTokenBinding(ACCOUNT),
                new PageCursor(TOKEN.createdAt(), TOKEN.id()));

        assertThatThrownBy(() -> HoldPageToken.decode(historyToken, ACCOUNT))
                .isInstanceOf(TallyException.class)
                .hasMessage("page_token: not a token of the hold list");
    }

    @Test
    void aTokenThatWasNotIssuedIsRefusedAsEveryListRefusesIt() {
        assertThatThrownBy(() -> HoldPageToken.decode("bm90IGEgdG9rZW4", ACCOUNT))
                .isInstanceOf(TallyException.class)
                .hasMessage("page_token: not a token this server issued for this query");
    }
}
