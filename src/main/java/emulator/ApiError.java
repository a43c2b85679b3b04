package emulator;

/** An error answered in Google's JSON error format, so the storage client raises a StorageException with its code. */
final class ApiError extends RuntimeException {

  private final int status;
  private final String reason;

  ApiError(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "invalid", message);
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "notFound", message);
  }

  static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message);
  }

  static ApiError preconditionFailed(String message) {
    return new ApiError(412, "conditionNotMet", message);
  }

  /** The reason Google uses for a status, for errors that only know their status (injected faults). */
  static ApiError ofStatus(int status, String message) {
    String reason = switch (status) {
      case 400 -> "invalid";
      case 401 -> "required";
      case 403 -> "forbidden";
      case 404 -> "notFound";
      case 408 -> "requestTimeout";
      case 409 -> "conflict";
      case 412 -> "conditionNotMet";
      case 429 -> "rateLimitExceeded";
      case 503 -> "backendError";
      default -> status >= 500 ? "internalError" : "invalid";
    };
    return new ApiError(status, reason, message);
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }
}
