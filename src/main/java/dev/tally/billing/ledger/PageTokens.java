package dev.tally.billing.ledger;

import dev.tally.common.TallyException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * Page tokens: opaque to callers, bound to one account and one filter, and checked. A token is
 * version, account id, the cursor (created_at in microseconds and id), a digest of the filter and
 * a digest of all of that. It grants nothing: the caller's right to the account is checked on
 * every page, so the checksum only has to catch a token that was cut, altered or taken from
 * another query; a keyed MAC would need a secret shared by every Tally process for no gain
 * (docs/adr/0007-history-and-reporting.md).
 */
final class PageTokens {
    private static final byte VERSION = 1;
    private static final int DIGEST_BYTES = 8;
    private static final int LENGTH_BYTES = 1 + 16 + 8 + 16 + DIGEST_BYTES + DIGEST_BYTES;
    private static final String INVALID = "page_token: not a token this server issued for this query";

    private PageTokens() {}

    static String encode(UUID accountId, HistoryFilter filter, PageCursor cursor) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH_BYTES);
        buffer.put(VERSION);
        putUuid(buffer, accountId);
        buffer.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, cursor.createdAt()));
        putUuid(buffer, cursor.id());
        buffer.put(digest(filter.fingerprint().getBytes(StandardCharsets.UTF_8)));
        buffer.put(digest(Arrays.copyOf(buffer.array(), buffer.position())));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    static PageCursor decode(String token, UUID accountId, HistoryFilter filter) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw TallyException.invalidArgument(INVALID);
        }
        if (bytes.length != LENGTH_BYTES || bytes[0] != VERSION) {
            throw TallyException.invalidArgument(INVALID);
        }
        byte[] body = Arrays.copyOf(bytes, LENGTH_BYTES - DIGEST_BYTES);
        if (!MessageDigest.isEqual(digest(body), Arrays.copyOfRange(bytes, body.length, LENGTH_BYTES))) {
            throw TallyException.invalidArgument(INVALID);
        }
        ByteBuffer buffer = ByteBuffer.wrap(body, 1, body.length - 1);
        if (!getUuid(buffer).equals(accountId)) {
            throw TallyException.invalidArgument("page_token: issued for another billing account");
        }
        Instant createdAt = Instant.EPOCH.plus(buffer.getLong(), ChronoUnit.MICROS);
        UUID id = getUuid(buffer);
        byte[] filterDigest = new byte[DIGEST_BYTES];
        buffer.get(filterDigest);
        if (!MessageDigest.isEqual(filterDigest, digest(filter.fingerprint().getBytes(StandardCharsets.UTF_8)))) {
            throw TallyException.invalidArgument(
                    "page_token: issued for other start_range, end_range, type or source values");
        }
        return new PageCursor(createdAt, id);
    }

    private static void putUuid(ByteBuffer buffer, UUID id) {
        buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    private static UUID getUuid(ByteBuffer buffer) {
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static byte[] digest(byte[] bytes) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("tally.page-token".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(sha256.digest(bytes), DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
