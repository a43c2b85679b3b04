package clients;

import java.util.Objects;

/**
 * The one model per stage a job runs with: the worker's configured pair when the job first started, recorded in
 * the job so its story and panel can be traced to the models that made them.
 */
public record GeminiModels(String story, String image) {

    public GeminiModels {
        Objects.requireNonNull(story, "story");
        Objects.requireNonNull(image, "image");
    }

    /** The model of one stage. */
    public String of(ModelRole role) {
        return role == ModelRole.STORY ? story : image;
    }
}
