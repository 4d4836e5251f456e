package dev.tally.billing.ledger;

import dev.tally.common.TallyException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of holds ends: the last hold's (created_at, id), and the account the list is of,
 * so that a token is refused on another account. Opaque to callers; a token that does not parse,
 * or names another account, is a 400.
 */
record HoldPageToken(UUID accountId, Instant createdAt, UUID id) {
    private static final String VERSION = "h1";

    String encode() {
        String plain = String.join("|", VERSION, accountId.toString(), Long.toString(createdAt.getEpochSecond()),
                Integer.toString(createdAt.getNano()), id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static HoldPageToken decode(String token, UUID expectedAccount) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length != 5 || !parts[0].equals(VERSION)) {
                throw new IllegalArgumentException("shape");
            }
            HoldPageToken decoded = new HoldPageToken(UUID.fromString(parts[1]),
                    Instant.ofEpochSecond(Long.parseLong(parts[2]), Integer.parseInt(parts[3])),
                    UUID.fromString(parts[4]));
            if (!decoded.accountId.equals(expectedAccount)) {
                throw new IllegalArgumentException("account");
            }
            return decoded;
        } catch (RuntimeException e) {
            throw TallyException.invalidArgument("page_token: not a token of this list");
        }
    }
}
