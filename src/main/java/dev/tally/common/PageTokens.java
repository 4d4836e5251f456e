package dev.tally.common;

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
 * Page tokens of the keyset-paged lists (newest first by created_at, id): opaque to callers,
 * bound to one list and one filter, and checked. A token is version, the list's owner id, the
 * cursor (created_at in microseconds and id), a digest of the filter and a digest of all of that.
 * It grants nothing: the caller's right to the list is checked on every page, so the checksum only
 * has to catch a token that was cut, altered or taken from another query; a keyed MAC would need a
 * secret shared by every Tally process for no gain (docs/adr/0007-history-and-reporting.md).
 */
public final class PageTokens {
    /** The owner of a list that belongs to nobody in particular (the audit trail). */
    public static final UUID NO_OWNER = new UUID(0, 0);
    private static final byte VERSION = 1;
    private static final int DIGEST_BYTES = 8;
    private static final int LENGTH_BYTES = 1 + 16 + 8 + 16 + DIGEST_BYTES + DIGEST_BYTES;
    private static final String INVALID = "page_token: not a token this server issued for this query";

    private PageTokens() {}

    /**
     * What a token belongs to: the list's owner (a billing account, or {@link #NO_OWNER}) and its
     * filter's fingerprint. The refusals say what differs, e.g. "issued for another billing account".
     */
    public record Binding(UUID owner, String ownerRefusal, String filterFingerprint, String filterRefusal) {
        public Binding {
            if (owner == null || filterFingerprint == null) {
                throw new IllegalArgumentException("a page token binding needs an owner and a filter fingerprint");
            }
        }
    }

    public static String encode(Binding binding, PageCursor cursor) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH_BYTES);
        buffer.put(VERSION);
        putUuid(buffer, binding.owner());
        buffer.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, cursor.createdAt()));
        putUuid(buffer, cursor.id());
        buffer.put(digest(binding.filterFingerprint().getBytes(StandardCharsets.UTF_8)));
        buffer.put(digest(Arrays.copyOf(buffer.array(), buffer.position())));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** The cursor in {@code token}; a 400 when the token is not one {@link #encode} made for {@code binding}. */
    public static PageCursor decode(String token, Binding binding) {
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
        if (!getUuid(buffer).equals(binding.owner())) {
            throw TallyException.invalidArgument("page_token: " + binding.ownerRefusal());
        }
        Instant createdAt = Instant.EPOCH.plus(buffer.getLong(), ChronoUnit.MICROS);
        UUID id = getUuid(buffer);
        byte[] filterDigest = new byte[DIGEST_BYTES];
        buffer.get(filterDigest);
        if (!MessageDigest.isEqual(filterDigest, digest(binding.filterFingerprint().getBytes(StandardCharsets.UTF_8)))) {
            throw TallyException.invalidArgument("page_token: " + binding.filterRefusal());
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
        return Arrays.copyOf(Sha256.prefixed().digest(bytes), DIGEST_BYTES);
    }

    /**
     * SHA-256 already fed the token's prefix, copied from one prototype: looking a digest up by name
     * (MessageDigest.getInstance) cost more than hashing a token's 57 bytes, and a page decodes and
     * encodes a token, two digests each (docs/adr/0007, issue 10's fourth pass). The prototype is
     * never updated after it is made, so threads may copy it at once.
     */
    private static final class Sha256 {
        private static final MessageDigest PROTOTYPE = create();

        static MessageDigest prefixed() {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                return create();
            }
        }

        private static MessageDigest create() {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update("tally.page-token".getBytes(StandardCharsets.US_ASCII));
                return sha256;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JVM", e);
            }
        }
    }
}
