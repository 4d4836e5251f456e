package dev.tally.api;

import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip request and response bodies of Connect calls ({@code Content-Encoding} / {@code Accept-Encoding}). */
final class Gzip {
    /** Below this, a gzip body is no smaller than the plain one. */
    static final int WORTH_IT_BYTES = 1024;

    private Gzip() {}

    /**
     * The plain body. Decompression stops at {@code lengthMaxBytes}: a small compressed body must
     * not expand past the limit every request has.
     */
    static byte[] decode(String contentEncoding, byte[] body, int lengthMaxBytes) {
        if (contentEncoding == null || contentEncoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!contentEncoding.equalsIgnoreCase("gzip")) {
            throw new TallyException(ErrorCode.UNIMPLEMENTED,
                    "Content-Encoding: " + contentEncoding + " (expected: gzip or identity)");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] plain = in.readNBytes(lengthMaxBytes + 1);
            if (plain.length > lengthMaxBytes) {
                throw TallyException.invalidArgument("request body too large");
            }
            return plain;
        } catch (IOException e) {
            throw TallyException.invalidArgument("Content-Encoding: gzip, but the body is not valid gzip");
        }
    }

    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equals("gzip") && !(parts.length > 1 && parts[1].trim().matches("q=0(\\.0*)?"))) {
                return true;
            }
        }
        return false;
    }

    static byte[] encode(byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length / 2 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return bytes.toByteArray();
    }
}
