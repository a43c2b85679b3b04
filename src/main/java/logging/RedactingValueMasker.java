package logging;

import com.fasterxml.jackson.core.JsonStreamContext;
import failures.SecretRedactor;
import net.logstash.logback.mask.ValueMasker;

/** Redacts secrets from every string value of a JSON log line: message, stack_trace, MDC, arguments. */
public class RedactingValueMasker implements ValueMasker {

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text) {
            String original = text.toString();
            String redacted = SecretRedactor.redact(original);
            // null: leave the value as it is.
            return redacted.equals(original) ? null : redacted;
        }
        return null;
    }
}
