package failures;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of any text that leaves the process: log lines (logging.RedactingValueMasker,
 * logging.RedactingPatternLayout), error_message, answers. Google's own error text quotes the API key ("Consumer
 * 'api_key:AIza…' has been suspended"), storage errors name the service account and the project number, so redacting
 * at the point of output is the only place nothing slips past.
 *
 * <p>Two kinds: shapes (Google API keys, OAuth and bearer tokens, service-account e-mails, project numbers, signed
 * URL signatures, private keys, passwords in Redis URLs) and the configured secrets themselves, registered at
 * start-up ({@link #register}), whatever their shape.
 */
public final class SecretRedactor {
    public static final String MARK = "[redacted]";
    private static final int MIN_REGISTERED_LENGTH = 8;

    /**
     * A shape to redact, with a piece of text every match contains ({@code clue}, lower case when the pattern ignores
     * case): text without it is not matched at all. Most values of a log line (logger, thread, a status message)
     * contain no clue, and running all eight patterns over each cost about 30 µs a value under C1, the images'
     * compiler: a few milliseconds of every job (BENCHMARKS.md, "Hot loops under C1").
     */
    private record Rule(Pattern pattern, String replacement, String clue, boolean anyCase) {
        boolean mayMatch(String text, String lowerCase) {
            return (anyCase ? lowerCase : text).contains(clue);
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
                    Pattern.DOTALL), MARK, "PRIVATE KEY-----", false),
            // Google API keys: AIza and 35 more characters; shorter test keys as well.
            new Rule(Pattern.compile("AIza[0-9A-Za-z_\\-]{8,}"), MARK, "AIza", false),
            // OAuth access tokens.
            new Rule(Pattern.compile("ya29\\.[0-9A-Za-z_\\-.]+"), MARK, "ya29.", false),
            new Rule(Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/\\-]+=*"), "$1" + MARK, "bearer", true),
            new Rule(Pattern.compile("(?i)([?&](?:key|access_token|X-Goog-Signature|X-Goog-Credential|Signature"
                    + "|GoogleAccessId|X-Amz-Signature|X-Amz-Credential)=)[^&\\s\"'<>]+"), "$1" + MARK, "=", false),
            // Service-account e-mails (…@project.iam.gserviceaccount.com, N-compute@developer.gserviceaccount.com).
            new Rule(Pattern.compile("[A-Za-z0-9._%+\\-]+@[A-Za-z0-9.\\-]*gserviceaccount\\.com"), MARK,
                    "gserviceaccount.com", false),
            // Project numbers, as Google's errors write them: "project 123456789012", "projects/123456789012".
            new Rule(Pattern.compile("(?i)(projects?[/ =:#]+|project_number[\"': =]+)\\d{6,}"), "$1" + MARK,
                    "project", true),
            // Passwords in connection URLs: redis://:secret@host, rediss://user:secret@host.
            new Rule(Pattern.compile("(?i)([a-z][a-z0-9+.\\-]*://[^:/@\\s]*:)[^@\\s/]+@"), "$1" + MARK + "@",
                    "://", false));

    private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();
    /** {@link #REGISTERED}, longest first, so a secret containing another is replaced whole; rebuilt on register. */
    private static volatile List<String> longestFirst = List.of();

    private SecretRedactor() {
    }

    /** A configured secret (Gemini key, API keys, Redis password) to take out of every text, whatever its shape. */
    public static void register(String secret) {
        if (secret != null && secret.trim().length() >= MIN_REGISTERED_LENGTH && REGISTERED.add(secret.trim())) {
            synchronized (REGISTERED) {
                longestFirst = REGISTERED.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
            }
        }
    }

    /** The text with every secret replaced by {@value #MARK}; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : longestFirst) {
            if (result.contains(secret)) {
                result = result.replace(secret, MARK);
            }
        }
        String lowerCase = result.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (!rule.mayMatch(result, lowerCase)) {
                continue;
            }
            Matcher matcher = rule.pattern().matcher(result);
            if (matcher.find()) {
                result = matcher.replaceAll(rule.replacement());
                lowerCase = result.toLowerCase(Locale.ROOT);
            }
        }
        return result;
    }
}
