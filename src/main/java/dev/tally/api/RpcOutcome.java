package dev.tally.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;

import java.io.IOException;

/**
 * How an RPC ended, before a transport renders it: an answer, a refusal, or the recorded first
 * outcome of an {@code Idempotency-Key} replayed. Every transport renders each of these in its own
 * terms (HTTP status and error body, gRPC status and trailers, Connect error JSON).
 */
sealed interface RpcOutcome {
    record Answered(Answer answer) implements RpcOutcome {
        Answered(Message response) {
            this(Answer.of(response));
        }

        Message response() {
            return answer.message();
        }
    }

    record Refused(TallyException error) implements RpcOutcome {}

    /**
     * The first outcome as it was recorded: the HTTP status and the JSON body of the one error
     * shape (or the protojson response). Transports that speak JSON send {@link #json} as is;
     * the others read it back with {@link #decode}.
     */
    record Replayed(int status, String json) implements RpcOutcome {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        /** The recorded outcome as an answer or a refusal, for transports that do not speak JSON. */
        RpcOutcome decode(Message responsePrototype) {
            if (status == 200) {
                return new Answered(ProtoJson.parse(json, responsePrototype.newBuilderForType()).build());
            }
            try {
                JsonNode error = MAPPER.readTree(json);
                ErrorCode code = ErrorCode.fromGrpcCode(error.path("code").asInt()).orElse(ErrorCode.INTERNAL);
                return new Refused(new TallyException(code, error.path("message").asText()));
            } catch (IOException e) {
                throw new IllegalStateException("a recorded error cannot be read back", e);
            }
        }
    }

    /** The status and body an Idempotency-Key records for this outcome. */
    static Replayed record(RpcOutcome outcome) {
        return switch (outcome) {
            case Answered answered -> new Replayed(200, ProtoJson.print(answered.response()));
            case Refused refused -> new Replayed(refused.error().code().httpStatus(),
                    ErrorResponses.body(refused.error().code(), refused.error().getMessage()));
            case Replayed replayed -> replayed;
        };
    }
}
