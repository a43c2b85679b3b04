package ingest;

import java.util.List;
import java.util.Locale;

/**
 * What a multipart/form-data part says about itself: its field name, the file name if it is a file upload, and its
 * declared Content-Type (each null when absent).
 */
public record PartHeaders(String name, String fileName, String contentType) {

    static PartHeaders parse(List<String> lines) {
        String disposition = null;
        String contentType = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                disposition = value;
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null) {
            return new PartHeaders(null, null, contentType);
        }
        DispositionParameters parameters = new DispositionParameters(disposition);
        if (!"form-data".equalsIgnoreCase(parameters.type())) {
            return new PartHeaders(null, null, contentType);
        }
        return new PartHeaders(parameters.get("name"), parameters.get("filename"), contentType);
    }

    /** {@code form-data; name="files"; filename="a.jpg"}: a type, then parameters, quoted or bare. */
    private static final class DispositionParameters {
        private final String text;
        private final String type;
        private int at;

        DispositionParameters(String text) {
            this.text = text;
            int semicolon = text.indexOf(';');
            this.type = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        }

        String type() {
            return type;
        }

        /** The first parameter of that (case-insensitive) name, or null. */
        String get(String wanted) {
            at = text.indexOf(';');
            while (at >= 0 && at < text.length()) {
                at++;
                int equals = text.indexOf('=', at);
                int semicolon = text.indexOf(';', at);
                if (equals < 0 || (semicolon >= 0 && semicolon < equals)) {
                    at = semicolon;
                    continue;
                }
                String name = text.substring(at, equals).trim();
                at = equals + 1;
                String value = value();
                if (name.equalsIgnoreCase(wanted)) {
                    return value;
                }
                at = text.indexOf(';', at);
            }
            return null;
        }

        private String value() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
            if (at >= text.length() || text.charAt(at) != '"') {
                int semicolon = text.indexOf(';', at);
                String bare = text.substring(at, semicolon < 0 ? text.length() : semicolon).trim();
                at = semicolon < 0 ? text.length() : semicolon;
                return bare;
            }
            StringBuilder quoted = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return quoted.toString();
                }
                // Only \" and \\ are escapes: browsers percent-encode quotes, and old ones send Windows paths whose
                // backslashes must survive (ObjectNames cuts the path off at them).
                if (c == '\\' && at < text.length() && (text.charAt(at) == '"' || text.charAt(at) == '\\')) {
                    c = text.charAt(at++);
                }
                quoted.append(c);
            }
            return quoted.toString();
        }
    }
}
