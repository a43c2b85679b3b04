package clients;

/** The two stages that call Gemini, each with its one model and the variable that names it. */
public enum ModelRole {
    STORY("story", "GEMINI_STORY_MODEL"),
    IMAGE("panel", "GEMINI_IMAGE_MODEL");

    private final String stage;
    private final String variable;

    ModelRole(String stage, String variable) {
        this.stage = stage;
        this.variable = variable;
    }

    /** What the model makes, as a user reads it: "story" or "panel". */
    public String stage() {
        return stage;
    }

    /** The environment variable an operator changes to pick another model for this stage. */
    public String variable() {
        return variable;
    }
}
