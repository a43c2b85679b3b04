package emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Builds generateContent answers and errors in the Gemini REST wire format. */
final class GeminiResponses {

    /** Output tokens Gemini 3 Pro Image bills for a 1K or 2K image. */
    private static final int IMAGE_TOKENS = 1120;
    /** Input tokens the Gemini 3 models bill for one image at default media resolution. */
    private static final int INPUT_IMAGE_TOKENS = 1120;
    private static final EncodedPng THOUGHT_SKETCH = new EncodedPng(PanelRenderer.thoughtSketch());
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final ObjectMapper json;
    private final GeminiFiles files;
    private final RenderCache renders = new RenderCache(8);

    GeminiResponses(ObjectMapper json, GeminiFiles files) {
        this.json = json;
        this.files = files;
    }

    /** {@code {"error":{"code","message","status"}}}, the body Google's APIs and the SDK's ApiException use. */
    ObjectNode error(int code, String status, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        return body;
    }

    /**
     * A models.get answer in the REST shape ({@code supportedGenerationMethods}, which the SDK maps to
     * {@code supportedActions}).
     */
    ObjectNode model(String model, boolean image) {
        ObjectNode body = json.createObjectNode();
        body.put("name", "models/" + model);
        body.put("version", model.replaceFirst("^gemini-", ""));
        body.put("displayName", image ? "Nano Banana Pro" : "Gemini " + model.replaceFirst("^gemini-", ""));
        body.put("inputTokenLimit", image ? 65536 : 1048576);
        body.put("outputTokenLimit", image ? 32768 : 65536);
        ArrayNode methods = body.putArray("supportedGenerationMethods");
        methods.add("generateContent").add("countTokens").add("batchGenerateContent");
        if (!image) {
            methods.add("createCachedContent");
        }
        body.put("thinking", true);
        return body;
    }

    /** A 429 body with the RetryInfo detail the Gemini API adds to quota errors. */
    ObjectNode rateLimited(String message, Duration retryAfter) {
        ObjectNode body = error(429, "RESOURCE_EXHAUSTED", message);
        ObjectNode retryInfo = ((ObjectNode) body.get("error")).putArray("details").addObject();
        retryInfo.put("@type", "type.googleapis.com/google.rpc.RetryInfo");
        long millis = retryAfter.toMillis();
        retryInfo.put("retryDelay", millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.3fs", millis / 1000.0));
        return body;
    }

    /** The text model's answer: a thought part, then a short story that says how many photos it saw. */
    ObjectNode story(String model, JsonNode request) {
        int photos = countImages(request);
        String story = storyText(photos);
        ObjectNode response = candidateResponse(model, "STOP");
        ArrayNode parts = partsOf(response);
        parts.addObject().put("text", "**Reading the photos**\nLooking for a setting, a hero and a turn.")
                .put("thought", true);
        parts.addObject().put("text", story).put("thoughtSignature", signature());
        usage(response, request, story.length() / 4, 180);
        return response;
    }

    /** The image model's answer: thought text, a thought sketch, a line of text, then the final PNG. */
    ObjectNode panel(String model, JsonNode request, int renderWidth, int panelBytes) {
        JsonNode imageConfig = request.path("generationConfig").path("imageConfig");
        ImageGeometry size = ImageGeometry.of(imageConfig.path("aspectRatio").asText("1:1"),
                imageConfig.path("imageSize").asText("1K")).capWidth(renderWidth);
        EncodedPng png = renders.render(imagesOf(request), caption(request), size.width(), size.height(), panelBytes);

        ObjectNode response = candidateResponse(model, "STOP");
        ArrayNode parts = partsOf(response);
        parts.addObject().put("text", "**Laying out the panel**\nOne frame per photo, caption along the bottom.")
                .put("thought", true);
        inlinePng(parts.addObject(), THOUGHT_SKETCH).put("thought", true);
        parts.addObject().put("text", "Here is your comic panel.").put("thoughtSignature", signature());
        inlinePng(parts.addObject(), png).put("thoughtSignature", signature());
        usage(response, request, IMAGE_TOKENS + 8, 240);
        return response;
    }

    /** 200 with {@code promptFeedback.blockReason} and no candidates, as Gemini answers a blocked prompt. */
    ObjectNode promptBlocked(String model, String reason, JsonNode request) {
        ObjectNode response = json.createObjectNode();
        response.putObject("promptFeedback").put("blockReason", reason);
        ObjectNode usage = response.putObject("usageMetadata");
        usage.put("promptTokenCount", promptTokens(request));
        usage.put("totalTokenCount", promptTokens(request));
        response.put("modelVersion", model);
        response.put("responseId", UUID.randomUUID().toString());
        return response;
    }

    /** A candidate that stopped for this reason without any content. */
    ObjectNode finishedWithout(String model, String reason, JsonNode request) {
        ObjectNode response = candidateResponse(model, reason);
        ((ObjectNode) response.get("candidates").get(0)).remove("content");
        usage(response, request, 0, 0);
        return response;
    }

    /** The image model answering only text, which it does when it declines to draw. */
    ObjectNode textOnly(String model, String text, JsonNode request) {
        ObjectNode response = candidateResponse(model, "STOP");
        partsOf(response).addObject().put("text", text);
        usage(response, request, text.length() / 4, 60);
        return response;
    }

    /** Photos in the request: inline ones and Files API references. */
    static int countImages(JsonNode request) {
        int images = 0;
        for (JsonNode part : parts(request)) {
            images += part.has("inlineData") || part.has("fileData") ? 1 : 0;
        }
        return images;
    }

    /** The first {@code fileData.fileUri} that names no stored file, or null when all resolve. */
    String missingFile(JsonNode request) {
        for (JsonNode part : parts(request)) {
            JsonNode uri = part.path("fileData").path("fileUri");
            if (!uri.isMissingNode() && files.byUri(uri.asText("")).isEmpty()) {
                return uri.asText("");
            }
        }
        return null;
    }

    private static String storyText(int photos) {
        String seen = photos == 0 ? "no photos at all" : photos == 1 ? "one photo" : photos + " photos";
        return "In " + seen + ", an ordinary day tipped into adventure. "
                + "The first frame set the scene; the rest raised the stakes until nobody could look away. "
                + "By the last light, our heroes had a story worth telling, and they told it together.";
    }

    /** The start of the script: the last text part, where the story follows the drawing instructions. */
    private static String caption(JsonNode request) {
        String last = "";
        for (JsonNode part : parts(request)) {
            if (part.hasNonNull("text") && !part.get("text").asText().isBlank()) {
                last = part.get("text").asText();
            }
        }
        String flat = last.replaceAll("\\s+", " ").strip();
        return flat.length() > 240 ? flat.substring(0, 240) : flat;
    }

    private List<byte[]> imagesOf(JsonNode request) {
        List<byte[]> images = new ArrayList<>();
        for (JsonNode part : parts(request)) {
            JsonNode data = part.path("inlineData").path("data");
            if (data.isTextual()) {
                images.add(decodeOrEmpty(data.asText()));
            }
            JsonNode uri = part.path("fileData").path("fileUri");
            if (uri.isTextual()) {
                images.add(files.byUri(uri.asText()).map(files::content).orElse(new byte[0]));
            }
        }
        return images;
    }

    private static byte[] decodeOrEmpty(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static List<JsonNode> parts(JsonNode request) {
        List<JsonNode> parts = new ArrayList<>();
        request.path("contents").forEach(content -> content.path("parts").forEach(parts::add));
        return parts;
    }

    private ObjectNode candidateResponse(String model, String finishReason) {
        ObjectNode response = json.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts");
        content.put("role", "model");
        candidate.put("finishReason", finishReason);
        candidate.put("index", 0);
        response.put("modelVersion", model);
        response.put("responseId", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        return response;
    }

    private static ArrayNode partsOf(ObjectNode response) {
        return (ArrayNode) response.get("candidates").get(0).get("content").get("parts");
    }

    /** The answer with the last character of each image's base64 gone. */
    static ObjectNode cutShort(ObjectNode answer) {
        for (JsonNode part : partsOf(answer)) {
            if (part.path("inlineData").has("data")) {
                String data = part.path("inlineData").path("data").asText();
                ((ObjectNode) part.get("inlineData")).put("data", data.substring(0, data.length() - 1));
            }
        }
        return answer;
    }

    private static ObjectNode inlinePng(ObjectNode part, EncodedPng png) {
        part.putObject("inlineData").put("mimeType", "image/png").putPOJO("data", png);
        return part;
    }

    private void usage(ObjectNode response, JsonNode request, int candidates, int thoughts) {
        int prompt = promptTokens(request);
        ObjectNode usage = response.putObject("usageMetadata");
        usage.put("promptTokenCount", prompt);
        usage.put("candidatesTokenCount", candidates);
        usage.put("totalTokenCount", prompt + candidates + thoughts);
        usage.put("thoughtsTokenCount", thoughts);
    }

    private static int promptTokens(JsonNode request) {
        int chars = 0;
        for (JsonNode part : parts(request)) {
            chars += part.path("text").asText("").length();
        }
        return chars / 4 + countImages(request) * INPUT_IMAGE_TOKENS;
    }

    private static String signature() {
        return BASE64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }
}
