package dev.tally.api;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.tally.auth.Authenticator;
import dev.tally.auth.Principal;
import dev.tally.auth.Secrets;
import dev.tally.common.TallyException;
import dev.tally.idempotency.IdempotencyService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What every transport does around an RPC, in one order: authenticate, read the request (so that
 * an anonymous caller learns nothing about its body), honour {@code Idempotency-Key} (claim, run,
 * record; or replay the first outcome), run the RPC, and classify any failure into the caller's
 * error. REST, gRPC, gRPC-Web and Connect differ only in how they read the request and render
 * the {@link RpcOutcome}. Permissions are checked by the feature services, which every transport
 * reaches through here. This runs blocking JDBC: call it off the event loop.
 *
 * <p>The outcome is a future that never fails. It is complete when {@link #run} returns for every
 * RPC but a deferred one ({@link RpcMethod.Deferred}: a usage, a hold's placement or capture), whose
 * outcome the usage lane completes later, so that no thread waits for the group's commit; a
 * transport renders that one where it writes it ({@link Continuations}).
 */
final class RpcPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(RpcPipeline.class);

    private final Authenticator authenticator;
    private final IdempotencyService idempotency;

    RpcPipeline(Authenticator authenticator, IdempotencyService idempotency) {
        this.authenticator = authenticator;
        this.idempotency = idempotency;
    }

    /**
     * @param authorization  the Authorization header, or null
     * @param idempotencyKey the Idempotency-Key header, or null
     * @param request        reads the request message; a TallyException it throws is the caller's error
     * @param blocking       where a deferred outcome's Idempotency-Key record is written (JDBC, so
     *                       never on the thread that completed the outcome)
     */
    <Q extends Message, R extends Message> CompletableFuture<RpcOutcome> run(RpcMethod<Q, R> method,
            String authorization, String idempotencyKey, Supplier<Q> request, Executor blocking) {
        Principal principal;
        Q message;
        try {
            principal = authenticator.authenticate(authorization);
            message = request.get();
        } catch (RuntimeException failure) {
            return refused(failure);
        }
        if (idempotencyKey == null || !method.changesState()) {
            return call(method, principal, message);
        }
        if (method.answerHoldsSecret()) {
            // A recorded answer would keep the secret in plain text; the caller retries without a key.
            return refused(TallyException.invalidArgument(IdempotencyService.HEADER
                    + " is not accepted here: the answer holds a secret, which is never stored"));
        }
        IdempotencyService.Holder holder;
        try {
            IdempotencyService.Claim claim = idempotency.claim(principal.auditName(), idempotencyKey,
                    requestSha256(method, message));
            if (claim instanceof IdempotencyService.Replay replay) {
                return CompletableFuture.completedFuture(new RpcOutcome.Replayed(replay.status(), replay.body()));
            }
            holder = (IdempotencyService.Holder) claim;
        } catch (RuntimeException failure) {
            return refused(failure);
        }
        @SuppressWarnings("unchecked")
        Q withDerivedIds = (Q) IdempotentIds.fillMissingId(message, IdempotentIds.of(principal, idempotencyKey));
        return Continuations.then(call(method, principal, withDerivedIds),
                outcome -> record(principal, idempotencyKey, holder, outcome), blocking)
                // Only a failure after a deferred RPC gets here: a hand-off the executor refused at
                // shutdown (UNAVAILABLE, ErrorResponses) or a reply that cannot be recorded.
                .exceptionally(RpcPipeline::classified);
    }

    private RpcOutcome record(Principal principal, String idempotencyKey, IdempotencyService.Holder holder,
                              RpcOutcome outcome) {
        RpcOutcome.Replayed recorded = RpcOutcome.record(outcome);
        try {
            idempotency.complete(principal.auditName(), idempotencyKey, holder, recorded.status(), recorded.json());
        } catch (RuntimeException failure) {
            // The request itself was served; a retry will find the key in flight and, after the
            // lease, run again, which the ledger's own ids make safe.
            LOG.warn("Could not record the response of an idempotent request", failure);
        }
        return outcome;
    }

    private static <Q extends Message, R extends Message> CompletableFuture<RpcOutcome> call(RpcMethod<Q, R> method,
            Principal principal, Q request) {
        CompletableFuture<Answer> answer;
        try {
            answer = method.serving().call(principal, request);
        } catch (RuntimeException failure) {
            return refused(failure);
        }
        return answer.handle((answered, failure) -> failure == null ? new RpcOutcome.Answered(answered)
                : classified(failure));
    }

    private static CompletableFuture<RpcOutcome> refused(RuntimeException failure) {
        return CompletableFuture.completedFuture(classified(failure));
    }

    private static RpcOutcome classified(Throwable failure) {
        // A future's failure arrives wrapped; the caller is told about what it wraps.
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return new RpcOutcome.Refused(ErrorResponses.classify(cause));
    }

    /**
     * What makes two requests "the same" for an Idempotency-Key: the RPC and its request message,
     * whichever transport or encoding carried it (so a retry over another transport replays too).
     */
    private static String requestSha256(RpcMethod<?, ?> method, Message request) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization(); // map entries (metadata) in key order
            request.writeTo(out);
            out.flush();
            return Secrets.sha256Hex(method.fullName() + "\n" + HexFormat.of().formatHex(bytes.toByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException("a request message cannot be serialized", e);
        }
    }
}
