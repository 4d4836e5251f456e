package dev.tally.api;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;

/** A reply before it is sent: what an Idempotency-Key records and replays. */
record JsonReply(int status, String body) {
    /** The headers of every 200 JSON reply, built once: building them per reply showed in a page's profile. */
    private static final ResponseHeaders OK = ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE,
            MediaType.JSON_UTF_8.toString());

    /** A 200 reply of protojson already encoded as UTF-8. */
    static HttpResponse ok(HttpData json) {
        return HttpResponse.of(OK, json);
    }

    HttpResponse toHttpResponse() {
        return HttpResponse.of(HttpStatus.valueOf(status), MediaType.JSON_UTF_8, body);
    }

    /** The recorded first answer, marked so that a client can tell it was not run again. */
    HttpResponse toReplayedHttpResponse() {
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.valueOf(status))
                .contentType(MediaType.JSON_UTF_8)
                .set("Idempotent-Replayed", "true")
                .build(), HttpData.ofUtf8(body));
    }
}
