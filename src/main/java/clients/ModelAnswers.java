package clients;

import com.google.genai.types.Blob;
import com.google.genai.types.Candidate;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the story text or the final image out of a 200 answer, or says why there is none. */
final class ModelAnswers {

    /** Finish reasons that mean the model withheld its output for safety or policy. */
    private static final Set<String> SAFETY_REASONS = Set.of(
            "SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST", "SPII");

    /** An image part of the answer. */
    record Image(byte[] bytes, String mimeType) {
    }

    private ModelAnswers() {
    }

    static String story(String model, GenerateContentResponse response) {
        Candidate candidate = firstCandidate(model, response);
        String text = visibleText(candidate);
        if (!text.isEmpty()) {
            return text;
        }
        String reason = finishReason(candidate);
        if (SAFETY_REASONS.contains(reason)) {
            throw ModelCallException.permanent(model, 200,
                    model + " blocked the story for safety reasons (" + reason + ")");
        }
        throw ModelCallException.permanent(model, 200,
                "Gemini returned an empty story (" + model + ", finish reason " + reason + ")");
    }

    /** The last non-thought inline image: Gemini 3 Pro Image sends interim thought images before it. */
    static Image finalImage(String model, GenerateContentResponse response) {
        Candidate candidate = firstCandidate(model, response);
        Optional<Image> image = Optional.empty();
        for (Part part : parts(candidate)) {
            if (!isThought(part) && part.inlineData().flatMap(Blob::data).isPresent()) {
                Blob blob = part.inlineData().get();
                image = Optional.of(new Image(blob.data().get(), blob.mimeType().orElse("image/png")));
            }
        }
        if (image.isPresent()) {
            return image.get();
        }
        String reason = finishReason(candidate);
        if (SAFETY_REASONS.contains(reason)) {
            throw ModelCallException.permanent(model, 200,
                    model + " blocked the panel for safety reasons (" + reason + ")");
        }
        String text = visibleText(candidate);
        throw ModelCallException.permanent(model, 200,
                model + " returned no image (finish reason " + reason + ")" + (text.isEmpty() ? "" : ": " + text));
    }

    private static Candidate firstCandidate(String model, GenerateContentResponse response) {
        Optional<String> blocked = response.promptFeedback().flatMap(feedback -> feedback.blockReason())
                .map(Object::toString);
        if (blocked.isPresent()) {
            throw ModelCallException.permanent(model, 200,
                    model + " blocked the request for safety reasons (prompt feedback: " + blocked.get() + ")");
        }
        return response.candidates().filter(list -> !list.isEmpty()).map(list -> list.get(0))
                .orElseThrow(() -> ModelCallException.permanent(model, 200, model + " returned no answer"));
    }

    private static String visibleText(Candidate candidate) {
        return parts(candidate).stream()
                .filter(part -> !isThought(part))
                .map(part -> part.text().orElse(""))
                .collect(Collectors.joining())
                .trim();
    }

    private static List<Part> parts(Candidate candidate) {
        return candidate.content().flatMap(content -> content.parts()).orElse(List.of());
    }

    private static boolean isThought(Part part) {
        return part.thought().orElse(false);
    }

    private static String finishReason(Candidate candidate) {
        return candidate.finishReason().map(Object::toString).orElse("FINISH_REASON_UNSPECIFIED");
    }
}
