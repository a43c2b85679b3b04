package jobs;

/** Names of the exchange properties and headers the routes share. */
public final class JobHeaders {
    /** Exchange property holding the {@link jobs.JobContext} of the job being worked on. */
    public static final String JOB = "panelJob";
    /** Header naming the status {@code direct:publish-status} should record. */
    public static final String STATUS = "panelStatus";
    /** Exchange property: the user-facing reason a job failed. */
    public static final String FAILURE_REASON = "panelFailureReason";
    /** Exchange property holding the {@link ingest.Upload} of a POST /generate request. */
    public static final String UPLOAD = "panelUpload";
    /** Exchange property holding the {@link ingest.InputUploads} of a POST /generate request, once one started. */
    public static final String INPUT_UPLOADS = "panelInputUploads";
    /** Exchange property: the job whose stored inputs the {@code delete-inputs} route removes. */
    public static final String DELETE_INPUTS_OF = "panelDeleteInputsOf";

    /** Exchange property holding the {@link access.Client} that sent the request. */
    public static final String CLIENT = "panelClient";
    /** Exchange property holding the {@link access.JobLimits.Admission} of a new job. */
    public static final String ADMISSION = "panelAdmission";

    /**
     * Exchange property ({@code boolean}): the job may have been created although the request failed (Redis did not
     * answer create-job in time and could not be asked again), so its inputs must stay for the worker.
     */
    public static final String KEEP_INPUTS = "panelKeepInputs";

    private JobHeaders() {}
}
