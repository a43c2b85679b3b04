package config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing setting into one clear start-up error instead of a wall of bean-creation traces. */
public class MissingSettingFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingException cause) {
        return new FailureAnalysis(cause.getMessage(), "Set it in the environment (see .env.example) and start again.",
                cause);
    }
}
