package dev.tally.webhooks;

import dev.tally.common.Metadata;
import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an operator sets on a webhook, checked where it enters: an absolute http(s) URL, known
 * event names, headers within limits that cannot forge what Tally itself sends.
 */
public record WebhookSpec(URI url, String description, List<WebhookAction> subscribedEvents,
                          Map<String, String> headers, boolean enabled, Metadata metadata) {
    static final int URL_LENGTH_MAX = 2048;
    static final int HEADERS_MAX = 32;
    static final int HEADER_NAME_LENGTH_MAX = 128;
    static final int HEADER_VALUE_LENGTH_MAX = 4096;
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers that Tally sets itself or that belong to the HTTP framing. */
    private static final Set<String> RESERVED_HEADERS = Set.of("x-signature", "content-type", "content-length",
            "host", "transfer-encoding", "connection", "te", "upgrade", "keep-alive", "expect");

    public WebhookSpec {
        subscribedEvents = List.copyOf(new LinkedHashSet<>(subscribedEvents));
        headers = Map.copyOf(headers);
    }

    /** Parses and checks an operator's values; every problem is an INVALID_ARGUMENT naming its field. */
    public static WebhookSpec of(String url, String description, List<String> subscribedEvents,
                                 Map<String, String> headers, String state, Metadata metadata) {
        return new WebhookSpec(parseUrl(url), Text.checkLength("body.description", description),
                subscribedEvents.stream().map(name -> WebhookAction.fromWireName("body.subscribed_events", name))
                        .toList(),
                checkHeaders(headers), parseState(state), metadata);
    }

    public boolean subscribesTo(WebhookAction action) {
        return subscribedEvents.isEmpty() ? !action.isFirehose() : subscribedEvents.contains(action);
    }

    public String state() {
        return enabled ? "enabled" : "disabled";
    }

    private static URI parseUrl(String url) {
        if (url.isEmpty()) {
            throw TallyException.invalidArgument("body.url: empty (expected: an absolute http or https URL)");
        }
        if (url.length() > URL_LENGTH_MAX) {
            throw TallyException.invalidArgument(
                    "body.url: " + url.length() + " characters (expected: at most " + URL_LENGTH_MAX + ")");
        }
        URI parsed;
        try {
            parsed = new URI(url);
        } catch (URISyntaxException e) {
            throw invalidUrl(url);
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!parsed.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || parsed.getHost() == null
                || !parsed.toASCIIString().equals(url)) {
            throw invalidUrl(url);
        }
        return parsed;
    }

    private static TallyException invalidUrl(String url) {
        return TallyException.invalidArgument(
                "body.url: " + Text.quote(url) + " (expected: an absolute http or https URL)");
    }

    private static Map<String, String> checkHeaders(Map<String, String> headers) {
        if (headers.size() > HEADERS_MAX) {
            throw TallyException.invalidArgument(
                    "body.headers: " + headers.size() + " headers (expected: at most " + HEADERS_MAX + ")");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.length() > HEADER_NAME_LENGTH_MAX || !HEADER_NAME.matcher(name).matches()) {
                throw TallyException.invalidArgument("body.headers: " + Text.quote(name)
                        + " (expected: a header name of at most " + HEADER_NAME_LENGTH_MAX + " token characters)");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw TallyException.invalidArgument(
                        "body.headers: " + Text.quote(name) + " is set by Tally (expected: another header)");
            }
            if (value.length() > HEADER_VALUE_LENGTH_MAX || !value.chars().allMatch(c -> c == '\t'
                    || (c >= 0x20 && c < 0x7f))) {
                throw TallyException.invalidArgument("body.headers." + name + ": expected at most "
                        + HEADER_VALUE_LENGTH_MAX + " visible ASCII characters");
            }
            checked.put(name, value);
        });
        return checked;
    }

    private static boolean parseState(String state) {
        return switch (state) {
            case "", "enabled" -> true;
            case "disabled" -> false;
            default -> throw TallyException.invalidArgument(
                    "body.state: " + Text.quote(state) + " (expected: enabled or disabled)");
        };
    }
}
