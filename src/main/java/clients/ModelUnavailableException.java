package clients;

/**
 * A model call Google answered with 404 NOT_FOUND: the model is shut down (or never existed under that id). Asking
 * again cannot help and there is no other model to ask, so the job fails with a reason that names the model, says
 * Google no longer serves it and which variable an operator changes; Google's raw text stays in the cause.
 */
public final class ModelUnavailableException extends ModelCallException {

    private final ModelRole role;

    ModelUnavailableException(ModelRole role, String model, ModelCallException cause) {
        super(model, false, cause.httpStatus(), null, describe(role, model), "404 NOT_FOUND", cause);
        this.role = role;
    }

    /** The stage whose model is gone. */
    public ModelRole role() {
        return role;
    }

    /** The sentence users and operators read, also used by the start-up check's log line. */
    public static String describe(ModelRole role, String model) {
        return "The " + role.stage() + " model " + model + " is no longer served by Google (404 NOT_FOUND): "
                + "an operator must set " + role.variable() + " to a current Gemini model and restart the worker";
    }

    /** Gemini's answer for a model that is not (or no longer) there. */
    static boolean isModelGone(ModelCallException failure) {
        return !(failure instanceof ModelUnavailableException) && failure.httpStatus() != null
                && failure.httpStatus() == 404 && !failure.isTransient();
    }
}
