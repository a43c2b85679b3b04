package clients;

import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;

/** Token counts Gemini reports in {@code usageMetadata}; absent counts are zero. */
public record TokenUsage(int promptTokens, int candidatesTokens, int thoughtsTokens, int totalTokens) {

    static TokenUsage of(GenerateContentResponse response) {
        return response.usageMetadata().map(TokenUsage::of).orElse(new TokenUsage(0, 0, 0, 0));
    }

    private static TokenUsage of(GenerateContentResponseUsageMetadata usage) {
        return new TokenUsage(usage.promptTokenCount().orElse(0), usage.candidatesTokenCount().orElse(0),
                usage.thoughtsTokenCount().orElse(0), usage.totalTokenCount().orElse(0));
    }
}
