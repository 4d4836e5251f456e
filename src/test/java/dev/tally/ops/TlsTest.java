package dev.tally.ops;

import dev.tally.testing.TallyServer;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TALLY_TLS_CERT_FILE / TALLY_TLS_KEY_FILE: HTTPS with HTTP/1.1 and h2 on the one API port. */
class TlsTest {
    /** A self-signed certificate for localhost, made for this test (PEM files, as an operator would have). */
    private static final SelfSignedCertificate CERTIFICATE = selfSigned();

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer(OperationsConfig.DEFAULTS.withTls(
            CERTIFICATE.certificate().toPath(), CERTIFICATE.privateKey().toPath()));

    @Test
    void theApiAnswersOverHttpsWithHttp11AndH2() throws Exception {
        for (HttpClient.Version version : new HttpClient.Version[] {HttpClient.Version.HTTP_1_1,
                HttpClient.Version.HTTP_2}) {
            HttpClient client = trustingClient(version);
            // Generous timeouts: the first TLS handshake on a loaded CI machine can take seconds.
            HttpResponse<String> reply = client.send(HttpRequest.newBuilder(uri("/v1beta1/admin/organizations"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", dev.tally.testing.TallyClient.basic(TallyServer.ADMIN_CLIENT_ID,
                            TallyServer.ADMIN_SECRET))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            assertThat(reply.version()).isEqualTo(version);
            assertThat(reply.body()).contains("\"organizations\"");
        }
    }

    @Test
    void plainHttpIsNotServedOnTheTlsPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
        URI http = URI.create("http://127.0.0.1:" + SERVER.uri().getPort() + "/ping");
        assertThatThrownBy(() -> {
            HttpResponse<String> reply = plain.send(HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as("a plain-text request to the TLS port").isNotEqualTo(200);
            throw new IOException("answered " + reply.statusCode());
        }).isInstanceOf(IOException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri("/ping")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + SERVER.uri().getPort() + path);
    }

    private static HttpClient trustingClient(HttpClient.Version version) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(CERTIFICATE.certificate().toPath())) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(pem);
            trusted.setCertificateEntry("tally", certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().version(version).sslContext(tls).connectTimeout(Duration.ofSeconds(60)).build();
    }

    private static SelfSignedCertificate selfSigned() {
        try {
            return new SelfSignedCertificate("localhost");
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("could not generate a self-signed certificate", e);
        }
    }
}
