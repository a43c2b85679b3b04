package logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import failures.SecretRedactor;

/** The readable (plain) log format, with secrets redacted from the whole line, stack trace included. */
public class RedactingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return SecretRedactor.redact(super.doLayout(event));
    }
}
