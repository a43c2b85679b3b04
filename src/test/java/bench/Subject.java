package bench;

/** A service under test, Panel One or the peer: where its API answers and what its processes cost. */
interface Subject {
    /** "us" or "peer". */
    String name();

    String apiUrl();

    /** user + system CPU of the service's processes (API and worker, with their children) so far, in ms. */
    double cpuMillis();

    /** Peak resident set (VmHWM) of the API's processes, in MiB. */
    double apiPeakRssMiB();

    /** Stops the worker, so intake can be measured alone. */
    void stopWorker();
}
