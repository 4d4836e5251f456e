package dev.tally.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.api.proto.AdminServiceGrpc;
import dev.tally.api.proto.FrontierServiceGrpc;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyServer;
import io.grpc.MethodDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §10: /docs is an API reference listing every RPC, with no credentials needed to read it. */
class DocsPageTest {
    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    @Test
    void theReferencePageListsEveryRpcOfBothServices() throws Exception {
        Reply page = SERVER.anonymous().get("/docs/");
        Reply specification = SERVER.anonymous().get("/docs/specification.json");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.rawBody()).containsIgnoringCase("<html");
        assertThat(specification.status()).isEqualTo(200);
        Set<String> listed = new HashSet<>();
        for (JsonNode service : new ObjectMapper().readTree(specification.rawBody()).path("services")) {
            service.path("methods").forEach(method ->
                    listed.add(service.path("name").asText() + "/" + method.path("name").asText()));
        }
        Set<String> served = new HashSet<>();
        Stream.concat(FrontierServiceGrpc.getServiceDescriptor().getMethods().stream(),
                        AdminServiceGrpc.getServiceDescriptor().getMethods().stream())
                .map(MethodDescriptor::getFullMethodName).forEach(served::add);
        assertThat(listed).containsAll(served).contains(
                "raystack.frontier.v1beta1.FrontierService/CreateBillingUsage",
                "raystack.frontier.v1beta1.AdminService/RevertBillingUsage");
    }
}
