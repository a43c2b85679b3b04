package bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;
import support.Multipart;

/**
 * The Panel One benchmark: B1 CPU per job, B2 end-to-end time, B3 intake, B4 jobs in flight, B5 launch to first
 * /health, B6 WebSocket fan-out. Run it with {@code bench/run.sh [--smoke]}; see BENCHMARKS.md for the methods.
 */
public final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final double MIB = 1024.0 * 1024.0;
    private static final String MARK_BEGIN = "<!-- figures:begin (bench/run.sh writes this section) -->";
    private static final String MARK_END = "<!-- figures:end -->";
    private static final Pattern COMPLETED = Pattern.compile(
            "\"status\"\\s*:\\s*\"COMPLETED\"");
    private static final Pattern FAILED = Pattern.compile(
            "\"status\"\\s*:\\s*\"FAILED\"");

    private final boolean smoke;
    /** {@code --only B1,B5}: just these parts, for working on one figure; nothing published. */
    private final List<String> only;
    private final Path repo;
    private final Path out;
    private final Services services;
    private final String java;
    private final String java17;
    private final List<String> apiOptions;
    private final List<String> workerOptions;
    private final int runs;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> notes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            // HTTP/1.1 without the h2c upgrade offer the JDK client makes by default: the peer's uvicorn refuses it.
            .version(HttpClient.Version.HTTP_1_1).build();
    private final byte[] photo = images.TestImages.jpeg(1 << 20);
    private final Multipart fourPhotos = new Multipart()
            .file("files", "one.jpg", "image/jpeg", photo)
            .file("files", "two.jpg", "image/jpeg", photo)
            .file("files", "three.jpg", "image/jpeg", photo)
            .file("files", "four.jpg", "image/jpeg", photo);
    private final byte[] fourPhotosBody = fourPhotos.body();
    private Services.Proc api;
    private Services.Proc worker;
    /** Panel One as a {@link Subject}: the API and worker JVMs started last. */
    private final Subject us = new Subject() {
        @Override
        public String name() {
            return "us";
        }

        @Override
        public String apiUrl() {
            return api.url();
        }

        @Override
        public double cpuMillis() {
            return api.cpuMillis() + (worker != null ? worker.cpuMillis() : 0);
        }

        @Override
        public double apiPeakRssMiB() {
            return api.statusKiB("VmHWM") / 1024.0;
        }

        @Override
        public void stopWorker() {
            Bench.this.stop(worker);
            worker = null;
        }
    };
    /** The FastAPI + Celery peer measured in the same run; null when skipped (--smoke, --no-peer, not found). */
    private Peer peer;
    private int peerRedisPort;
    private final String peerPython;
    /** The images' launch: the extracted jar with an AOT cache per role (trained once, used by P1c and P4). */
    private Path extractedJar;
    /** Set when a part could not finish (a service died, jobs never ended): the run goes on, then exits non-zero. */
    private final List<String> breakages = new ArrayList<>();
    /** The part running now (as {@link #load} names it): thread dumps are named after it. */
    private String part = "start";

    private final boolean noPeer;
    /**
     * The roles B5 launches (BENCH_LAUNCH_ROLES, default api,worker): P4 and P4j are the API's, so an A/B of them with
     * BENCH_LAUNCH_ROLES=api takes half as long (the worker's launches and its AOT training are skipped).
     */
    private final List<String> launchRoles;
    /** The launch configurations B5 measures (BENCH_LAUNCH_CONFIGS; jdk17-jar is P4j, jdk25-aot is P4). */
    private final List<String> launchConfigs;
    /**
     * How the images' AOT caches are trained: "start" (aot.AotTraining --jobs 0, as the Dockerfiles), "jobs"
     * (aot.AotTraining --jobs 24, the lever measured and dropped) or "health" (the training before aot.AotTraining).
     */
    private final String aotTraining;

    private Bench(boolean smoke, boolean noPeer, List<String> only, Path repo) {
        this.noPeer = noPeer;
        this.smoke = smoke;
        this.only = only;
        this.repo = repo;
        this.out = smoke || !only.isEmpty() ? repo.resolve("target/bench") : repo.resolve("bench");
        Path work = repo.resolve(smoke ? "target/bench/smoke" : "target/bench/full");
        Map<String, String> env = System.getenv();
        this.java = env.getOrDefault("BENCH_JAVA", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        this.java17 = env.getOrDefault("BENCH_JAVA17", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        // As the container images run them: the API in Cloud Run's default 512 MiB (62.5 % heap), the worker in
        // 2 GiB, both C1 only (the Dockerfiles say why).
        this.apiOptions = List.of(env.getOrDefault("BENCH_API_OPTS",
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx320m -XX:+ExitOnOutOfMemoryError").split("\\s+"));
        this.workerOptions = List.of(env.getOrDefault("BENCH_WORKER_OPTS",
                "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx1536m -XX:+ExitOnOutOfMemoryError").split("\\s+"));
        this.runs = smoke ? 1 : 3;
        Path jar = repo.resolve("target/panel-one.jar");
        String serviceJar = env.getOrDefault("BENCH_JAR", "");
        Path service = serviceJar.isBlank() ? jar : Path.of(serviceJar).toAbsolutePath();
        // The images carry target/panel-one-service.jar; another build's jar (BENCH_JAR) stands for its images too,
        // unless BENCH_IMAGE_JAR names that build's service jar.
        String imageJar = env.getOrDefault("BENCH_IMAGE_JAR", "");
        Path image = !imageJar.isBlank() ? Path.of(imageJar).toAbsolutePath()
                : serviceJar.isBlank() ? repo.resolve("target/panel-one-service.jar") : service;
        this.services = new Services(work, jar, service, image, java);
        this.aotTraining = env.getOrDefault("BENCH_AOT_TRAINING", "start");
        if (!List.of("start", "jobs", "health").contains(aotTraining)) {
            throw new IllegalArgumentException("BENCH_AOT_TRAINING is start, jobs or health, not " + aotTraining);
        }
        this.peerPython = env.getOrDefault("BENCH_PEER_PYTHON", "python3");
        this.launchRoles = List.of(env.getOrDefault("BENCH_LAUNCH_ROLES", "api,worker").split(","));
        this.launchConfigs = List.of(env.getOrDefault("BENCH_LAUNCH_CONFIGS",
                "jdk25-jar,jdk17-jar,jdk25-extracted,jdk25-aot").split(","));
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        boolean smoke = arguments.contains("--smoke");
        int at = arguments.indexOf("--only");
        List<String> only = at >= 0 && at + 1 < args.length ? List.of(args[at + 1].toUpperCase().split(",")) : List.of();
        // --smoke skips the peer unless --with-peer asks for it (a quick check of the comparison itself).
        boolean noPeer = arguments.contains("--no-peer") || smoke && !arguments.contains("--with-peer");
        Bench bench = new Bench(smoke, noPeer, only, Path.of("").toAbsolutePath());
        int status = 0;
        try {
            bench.run();
        } catch (Throwable e) {
            System.err.println("bench: FAILED: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            bench.services.close();
        }
        if (!bench.breakages.isEmpty()) {
            System.err.println("bench: FAILED: " + String.join("; ", bench.breakages));
            status = 1;
        }
        System.exit(status);
    }

    private void run() throws Exception {
        long began = System.nanoTime();
        deleteTree(services.work);
        Files.createDirectories(services.work);
        say("mode " + (smoke ? "smoke" : "full") + ", service JDK " + java + ", work dir " + services.work);
        if (!services.serviceJar.equals(services.jar)) {
            notes.put("service_jar", services.serviceJar.toString());
            say("API and worker from " + services.serviceJar + " (BENCH_JAR); emulators from " + services.jar);
        }
        notes.put("image_jar", repo.relativize(services.imageJar).toString());
        notes.put("aot_training", aotTraining);
        services.startRedis();
        services.startEmulators(0);
        Path peerDir = Peer.locate(repo).orElse(null);
        if (noPeer) {
            notes.put("peer", "not measured (" + (smoke ? "--smoke" : "--no-peer") + ")");
        } else if (peerDir == null) {
            notes.put("peer", "not measured: no start.sh in the peer folder beside the repository (set BENCH_PEER_DIR)");
            say("WARNING: the peer was not found (shared/peer beside the repository, or BENCH_PEER_DIR); Panel One figures only");
        } else {
            peerRedisPort = services.startAnotherRedis();
            peer = new Peer(services, peerDir, peerPython, peerRedisPort);
            notes.put("peer", "FastAPI + uvicorn (1 process) + Celery prefork 2, its own redis-server of the same"
                    + " build as Panel One's, the same emulators; both services running at once, measured"
                    + " alternately, run by run");
            notes.put("peer_python", peerPython);
        }
        if (wants("P1", "B2", "P2", "P3", "B4", "B6")) {
            startApiAndWorker();
            if (peer != null && wants("P1", "P2", "P3")) {
                say("starting the peer from " + peerDir);
                peer.start();
                say("peer up on " + peer.apiUrl());
            }
        }
        load("start");
        if (wants("P1")) {
            load("P1");
            p1CpuPerJob();
            write();
        }
        if (wants("B2")) {
            b2EndToEnd();
            write();
        }
        if (wants("P2")) {
            load("P2");
            p2Throughput();
            write();
        }
        if (wants("P3", "B6")) {
            String queuedJob;
            if (wants("P3")) {
                load("P3");
                queuedJob = p3Intake();
                write();
            } else {
                // --only B6: one queued job is all B6 needs, without P3's minute of intake first.
                us.stopWorker();
                queuedJob = submit(fourPhotos, fourPhotosBody);
            }
            if (wants("B6")) {
                load("B6");
                b6Fanout(queuedJob);
                write();
            }
        }
        if (wants("B4")) {
            load("B4");
            b4InFlight();
            write();
        }
        stop(api);
        stop(worker);
        api = null;
        worker = null;
        if (peer != null) {
            peer.stop();
        }
        if (!smoke && wants("P1C")) {
            load("P1c");
            p1cColdCpu();
            write();
        }
        if (wants("P4", "B5")) {
            load("P4");
            b5Launch();
        }
        load("end");
        notes.put("bench_wall_seconds", Figure.round((System.nanoTime() - began) / 1e9));
        write();
        say("wrote " + (smoke ? "target/bench/results-smoke.json" : !only.isEmpty() ? "target/bench/results-partial.json"
                : "bench/results.json and BENCHMARKS.md"));
        say("done in " + Math.round((System.nanoTime() - began) / 1e9) + " s");
    }

    /** The machine's load average when a part starts: other tenants share these cores (see BENCHMARKS.md). */
    @SuppressWarnings("unchecked")
    private void load(String part) throws IOException {
        this.part = part;
        String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
        ((Map<String, Object>) notes.computeIfAbsent("load_average_1_5_15_min", k -> new LinkedHashMap<>()))
                .put(part, avg[0] + " " + avg[1] + " " + avg[2]);
    }

    private boolean wants(String... parts) {
        return only.isEmpty() || List.of(parts).stream().anyMatch(only::contains);
    }

    // ---------------------------------------------------------------------------------------------------------
    // B1: CPU per job

    private void p1CpuPerJob() throws Exception {
        // 300 warm-up jobs, each service: after 30 (the method until 2026-12-07) the JIT was still compiling ~1,250
        // methods a minute for the first time, about 75 ms of a job's CPU; the peer has no JIT and gets the same.
        int warmup = smoke ? 2 : Integer.parseInt(System.getenv().getOrDefault("BENCH_P1_WARMUP", "300"));
        int jobs = smoke ? 3 : 40;
        int clients = 4;
        Figure total = new Figure("P1", "CPU per job, steady state (API + worker)", "ms/job",
                "user+sys ticks of the service's processes (Panel One: the API and worker JVMs; the peer: uvicorn and"
                        + " the Celery master with its prefork children) from /proc/PID/stat, read before and after "
                        + jobs + " jobs (4 x 1 MiB JPEG each, model latency 0, panel " + Services.panelSize() + ", " + clients + " jobs in flight, each"
                        + " awaited on its WebSocket), divided by the job count; " + warmup + " warm-up jobs first,"
                        + " excluded; us and peer alternate run by run", "", null, false)
                .ratio("<= 0.33x", 0.33, false);
        Figure apiPart = Figure.info("P1.api", "CPU per job, API part", "ms/job", "as P1, API process only");
        Figure workerPart = Figure.info("P1.worker", "CPU per job, worker part", "ms/job", "as P1, worker only");
        say("P1 warm-up: " + warmup + " jobs" + (peer != null ? " each" : ""));
        runJobs(us, warmup, clients);
        if (peer != null) {
            runJobs(peer, warmup, clients);
        }
        ThreadSplit.Figures split = new ThreadSplit.Figures("P1", "ms/job", "before and after each run's " + jobs
                + " jobs, divided by " + jobs);
        List<String> splitLines = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            ThreadSplit.Snapshot apiThreads = ThreadSplit.take(api.pid());
            ThreadSplit.Snapshot workerThreads = ThreadSplit.take(worker.pid());
            double api0 = api.cpuMillis();
            double worker0 = worker.cpuMillis();
            runJobs(us, jobs, clients);
            double apiMs = (api.cpuMillis() - api0) / jobs;
            double workerMs = (worker.cpuMillis() - worker0) / jobs;
            splitLines.add(split.add("api", apiThreads, ThreadSplit.take(api.pid()), jobs));
            splitLines.add(split.add("worker", workerThreads, ThreadSplit.take(worker.pid()), jobs));
            total.add(apiMs + workerMs);
            apiPart.add(apiMs);
            workerPart.add(workerMs);
            String line = String.format("P1 run %d: us %.1f ms/job (API %.1f, worker %.1f)", run, apiMs + workerMs,
                    apiMs, workerMs);
            if (peer != null) {
                double peer0 = peer.cpuMillis();
                runJobs(peer, jobs, clients);
                double peerMs = (peer.cpuMillis() - peer0) / jobs;
                total.addPeer(peerMs);
                line += String.format(", peer %.1f ms/job", peerMs);
            }
            say(line);
            splitLines.forEach(Bench::say);
            splitLines.clear();
        }
        figures.addAll(List.of(total, apiPart, workerPart));
        figures.addAll(split.figures());
    }

    /** Submits {@code count} jobs, {@code clients} at a time, each awaited to COMPLETED on its WebSocket. */
    private void runJobs(Subject subject, int count, int clients) throws Exception {
        services.forgetGeminiCalls();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                done.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    String jobId = submit(subject, fourPhotos, fourPhotosBody);
                    return awaitEnd(subject, jobId).get(120, TimeUnit.SECONDS) - start;
                }));
            }
            for (Future<Long> each : done) {
                try {
                    each.get(180, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    dumpThreads(part);
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // B2: end to end

    private void b2EndToEnd() throws Exception {
        part = "B2";
        int jobs = smoke ? 3 : 20;
        String how = jobs + " jobs one after another (4 x 1 MiB JPEG, model latency 0, panel " + Services.panelSize() + "): time from just before POST"
                + " /generate is sent to the arrival of the COMPLETED frame on /ws/{job_id} (opened right after the"
                + " 202); B1's jobs are the warm-up";
        Figure p50 = Figure.info("B2.p50", "End to end, p50", "ms", how + "; median per run");
        Figure p99 = Figure.info("B2.p99", "End to end, p99", "ms", how + "; nearest-rank p99 per run (with "
                + jobs + " jobs a run, that is the slowest job)");
        Figure own50 = new Figure("B2.own.p50", "End to end, own part, p50", "ms", how + ", minus the time the"
                + " Gemini and storage emulators were busy answering during that job (their /_emulator control APIs"
                + " report it; calls never overlap across the two within a job)", "<= 30 ms", 30.0, false);
        Figure own99 = Figure.info("B2.own.p99", "End to end, own part, p99", "ms", "as B2 own part, p99");
        Figure emu50 = Figure.info("B2.emulators.p50", "Time inside emulators per job, p50", "ms",
                "busy time of the Gemini + storage emulators during one job");
        say("B2 warm-up: done by B1");
        for (int run = 1; run <= runs; run++) {
            List<Double> totals = new ArrayList<>();
            List<Double> own = new ArrayList<>();
            List<Double> emulators = new ArrayList<>();
            services.forgetGeminiCalls();
            for (int i = 0; i < jobs; i++) {
                double busy0 = emulatorBusyMs();
                long start = System.nanoTime();
                String jobId = submit(fourPhotos, fourPhotosBody);
                long end = awaitEnd(jobId).get(120, TimeUnit.SECONDS);
                double busy = emulatorBusyMs() - busy0;
                double ms = (end - start) / 1e6;
                totals.add(ms);
                own.add(ms - busy);
                emulators.add(busy);
            }
            p50.add(Figure.percentile(totals, 50));
            p99.add(Figure.percentile(totals, 99));
            own50.add(Figure.percentile(own, 50));
            own99.add(Figure.percentile(own, 99));
            emu50.add(Figure.percentile(emulators, 50));
            say(String.format("B2 run %d: p50 %.1f ms, p99 %.1f ms, own p50 %.1f ms (emulators %.1f ms)", run,
                    Figure.percentile(totals, 50), Figure.percentile(totals, 99), Figure.percentile(own, 50),
                    Figure.percentile(emulators, 50)));
        }
        figures.addAll(List.of(p50, p99, own50, own99, emu50));
    }

    private double emulatorBusyMs() throws Exception {
        return getJson(services.gemini.url() + "/_emulator/calls").path("busy_ms").asDouble()
                + getJson(services.gcs.url() + "/_emulator/requests").path("busy_ms").asDouble();
    }

    // ---------------------------------------------------------------------------------------------------------
    // B3: intake

    /** Returns the id of one job left QUEUED (the worker is stopped here), for B6. */
    private String p3Intake() throws Exception {
        int clients = 16;
        Duration warmup = Duration.ofSeconds(smoke ? 1 : 5);
        Duration length = Duration.ofSeconds(smoke ? 3 : 20);
        us.stopWorker();
        boolean withPeer = peer != null && wants("P3");
        if (withPeer) {
            peer.stopWorker();
        }
        String how = clients + " client threads each POST /generate (4 x 1 MiB JPEG, " + fourPhotosBody.length
                + " bytes a request) back to back for " + length.toSeconds() + " s; only 202s count; the worker is"
                + " stopped so intake is measured alone; " + warmup.toSeconds() + " s warm-up first, excluded;"
                + " us and peer alternate run by run";
        Figure rate = new Figure("P3", "Intake alone, requests/s", "req/s", how, "", null, true)
                .ratio(">= 2x", 2.0, true);
        Figure mibs = Figure.info("P3.mibps", "Intake, MiB/s", "MiB/s", how + "; request bytes / elapsed");
        say("P3 warm-up " + warmup.toSeconds() + " s" + (withPeer ? " each" : ""));
        String[] lastJob = new String[1];
        String[] peerJob = new String[1];
        intake(us, clients, warmup, lastJob);
        if (withPeer) {
            intake(peer, clients, warmup, peerJob);
        }
        for (int run = 1; run <= runs; run++) {
            long[] result = intake(us, clients, length, lastJob);
            double seconds = result[1] / 1e9;
            rate.add(result[0] / seconds);
            mibs.add(result[0] * (double) fourPhotosBody.length / MIB / seconds);
            String line = String.format("P3 run %d: us %.1f req/s, %.1f MiB/s", run, result[0] / seconds,
                    result[0] * (double) fourPhotosBody.length / MIB / seconds);
            if (withPeer) {
                long[] peerResult = intake(peer, clients, length, peerJob);
                rate.addPeer(peerResult[0] / (peerResult[1] / 1e9));
                mibs.addPeer(peerResult[0] * (double) fourPhotosBody.length / MIB / (peerResult[1] / 1e9));
                line += String.format(", peer %.1f req/s", peerResult[0] / (peerResult[1] / 1e9));
            }
            say(line);
        }
        Figure rss = new Figure("P3.rss", "API peak RSS (VmHWM) at the images' heap", "MiB", "VmHWM of the API's"
                + " processes from /proc/PID/status after the P3 runs: the peak resident set over their whole life so"
                + " far (P1, B2, P2, P3); Panel One's API JVM options: " + String.join(" ", apiOptions) + "; the peer's"
                + " API is one uvicorn process", "", null, false).ratio("<= 1x", 1.0, false);
        rss.add(us.apiPeakRssMiB());
        if (withPeer) {
            rss.addPeer(peer.apiPeakRssMiB());
        }
        figures.addAll(List.of(rate, mibs, rss));
        say(String.format("P3 API VmHWM us %.0f MiB, peer %.0f MiB", rss.median(), rss.peerMedian()));
        if (!smoke) {
            bigRequest();
        }
        return lastJob[0];
    }

    /** Runs {@code clients} threads posting for {@code length}; returns {accepted, elapsed nanos}. */
    private long[] intake(Subject subject, int clients, Duration length, String[] lastJob) throws Exception {
        AtomicLong accepted = new AtomicLong();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(pool.submit(() -> {
                go.await();
                while (!stopping.get()) {
                    lastJob[0] = submit(subject, fourPhotos, fourPhotosBody);
                    accepted.incrementAndGet();
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(length.toMillis());
        stopping.set(true);
        long countedAt = System.nanoTime();
        long count = accepted.get();
        for (Future<?> thread : threads) {
            thread.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return new long[] {count, countedAt - start};
    }

    /** A ~55 MiB request (3 x 18 MiB): how much heap it takes, from jstat samples and Micrometer's counter. */
    private void bigRequest() throws Exception {
        byte[] big = images.TestImages.jpeg(18 << 20);
        Multipart request = new Multipart()
                .file("files", "a.jpg", "image/jpeg", big)
                .file("files", "b.jpg", "image/jpeg", big)
                .file("files", "c.jpg", "image/jpeg", big);
        byte[] body = request.body();
        services.jcmd(api, "GC.run");
        double heap0 = heapUsedMiB(api);
        double allocated0 = prometheus(api, "jvm_gc_memory_allocated_bytes_total");
        submit(request, body);
        services.jcmd(api, "GC.run");
        double allocated = (prometheus(api, "jvm_gc_memory_allocated_bytes_total") - allocated0) / MIB;
        double retained = heapUsedMiB(api) - heap0;
        // (jstat cannot show the peak in between: with SerialGC its eden counter only moves at a GC.)
        Figure alloc = Figure.info("B3.big.allocated", "55 MiB request: heap allocated while serving it", "MiB",
                "one POST of 3 x 18 MiB JPEG (" + Math.round(body.length / MIB) + " MiB body); Micrometer's"
                        + " jvm.gc.memory.allocated between a full GC (jcmd GC.run) before and one after, which also"
                        + " counts two /actuator/prometheus scrapes. Less than the body size means the body never"
                        + " sits in the heap, not even once");
        alloc.add(allocated);
        alloc.detail.put("heap_retained_after_full_gc_mib", Figure.round(retained));
        alloc.detail.put("body_mib", Figure.round(body.length / MIB));
        figures.add(alloc);
        say(String.format("B3 55 MiB request: allocated %.1f MiB, retained %.1f MiB", allocated, retained));
    }

    private double heapUsedMiB(Services.Proc proc) throws Exception {
        Process jstat = new ProcessBuilder(Path.of(java).resolveSibling("jstat").toString(), "-gc",
                Long.toString(proc.pid())).redirectErrorStream(true).start();
        String output = new String(jstat.getInputStream().readAllBytes());
        jstat.waitFor(30, TimeUnit.SECONDS);
        for (String line : output.split("\n")) {
            double used = jstatHeapUsedMiB(line);
            if (used > 0) {
                return used;
            }
        }
        throw new IllegalStateException("jstat gave no figures: " + output);
    }

    /** S0U + S1U + EU + OU of a {@code jstat -gc} line, in MiB; 0 for the header or anything unparsable. */
    private static double jstatHeapUsedMiB(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8) {
            return 0;
        }
        try {
            return (Double.parseDouble(f[2]) + Double.parseDouble(f[3]) + Double.parseDouble(f[5])
                    + Double.parseDouble(f[7])) / 1024.0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private double prometheus(Services.Proc proc, String metric) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(proc.managementUrl() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no " + metric + " in /actuator/prometheus");
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------
    // P2: system throughput

    /** What P2 measures beside the service on the shared cores ({@code P2.around.*}). */
    private static final List<String> AROUND_P2 =
            List.of("gemini-emulator", "gcs-emulator", "redis", "driver", "others", "idle");

    private void p2Throughput() throws Exception {
        int clients = 16;
        Duration warmup = Duration.ofSeconds(smoke ? 2 : 5);
        Duration length = Duration.ofSeconds(smoke ? 4 : 20);
        String how = "API and worker both running on the same cores, model latency 0, panel " + Services.panelSize() + "; " + clients + " client threads"
                + " each POST /generate (4 x 1 MiB JPEG), await the job's COMPLETED frame on its WebSocket, and"
                + " start the next (closed loop, at most " + clients + " jobs in the system); jobs COMPLETED within a"
                + " " + length.toSeconds() + " s window / window; " + warmup.toSeconds() + " s warm-up first, excluded;"
                + " us and peer alternate run by run";
        Figure rate = new Figure("P2", "System throughput, jobs COMPLETED/s", "jobs/s", how, "", null, true)
                .ratio(">= 2x", 2.0, true);
        Figure cpu = Figure.info("P2.cpu", "CPU per COMPLETED job at saturation", "ms/job", "as P2: user+sys of the"
                + " service's processes over the window / jobs COMPLETED in it");
        // The two cores are shared with what stands in for Google and the users: per COMPLETED job, what each of
        // those took, and what stayed idle, so the ratio can be read against the service's own share.
        Map<String, Figure> around = new LinkedHashMap<>();
        for (String name : AROUND_P2) {
            String what = switch (name) {
                case "others" -> "CPU of other processes (other tenants)";
                case "idle" -> "time both cores stayed idle";
                case "redis" -> "CPU of the subject's own redis-server";
                default -> "CPU of the " + name;
            };
            around.put(name, Figure.info("P2.around." + name, "System throughput: " + what + " per COMPLETED job",
                    "ms/job", "as P2.cpu: user + system time from /proc/PID/stat over the window (driver: the"
                    + " benchmark's own JVM; others: the machine's busy time from /proc/stat minus the service and"
                    + " these; idle: idle + iowait of both cores) / jobs COMPLETED in it"));
        }
        say("P2 warm-up " + warmup.toSeconds() + " s" + (peer != null ? " each" : ""));
        closedLoop(us, clients, warmup, null);
        if (peer != null) {
            closedLoop(peer, clients, warmup, null);
        }
        for (int run = 1; run <= runs; run++) {
            Map<String, Double> ourSplit = new LinkedHashMap<>();
            double[] ours = closedLoop(us, clients, length, ourSplit);
            rate.add(ours[0]);
            cpu.add(ours[1]);
            around.forEach((name, figure) -> figure.add(ourSplit.get(name)));
            String line = String.format("P2 run %d: us %.2f jobs/s, %.1f ms CPU/job (around it, a job: %s)", run,
                    ours[0], ours[1], perJob(ourSplit));
            if (peer != null) {
                Map<String, Double> theirSplit = new LinkedHashMap<>();
                double[] theirs = closedLoop(peer, clients, length, theirSplit);
                rate.addPeer(theirs[0]);
                cpu.addPeer(theirs[1]);
                around.forEach((name, figure) -> figure.addPeer(theirSplit.get(name)));
                line += String.format("; peer %.2f jobs/s, %.1f ms CPU/job (around it: %s)", theirs[0], theirs[1],
                        perJob(theirSplit));
            }
            say(line);
        }
        figures.addAll(List.of(rate, cpu));
        figures.addAll(around.values());
    }

    private static String perJob(Map<String, Double> split) {
        List<String> parts = new ArrayList<>();
        split.forEach((name, ms) -> parts.add(String.format("%s %.1f ms", name, ms)));
        return String.join(", ", parts);
    }

    /**
     * {@code clients} threads submit and await jobs for {@code length}; returns {COMPLETED/s, CPU ms per job}. When
     * {@code around} is given, it receives the CPU per COMPLETED job of the emulators, the subject's Redis, the
     * driver, other processes, and the idle time, over the same window.
     */
    private double[] closedLoop(Subject subject, int clients, Duration length, Map<String, Double> around)
            throws Exception {
        services.forgetGeminiCalls();
        AtomicLong completed = new AtomicLong();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(pool.submit(() -> {
                go.await();
                while (!stopping.get()) {
                    String jobId = submit(subject, fourPhotos, fourPhotosBody);
                    long doneAt = awaitEnd(subject, jobId).get(120, TimeUnit.SECONDS);
                    if (!stopping.get() && doneAt <= window[0] + length.toNanos()) {
                        completed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("gemini-emulator", services.gemini.pid());
        pids.put("gcs-emulator", services.gcs.pid());
        pids.put("redis", CpuWindow.childPid("redis-server",
                Integer.toString(subject == us ? services.redisPort : peerRedisPort)));
        pids.put("driver", 0L);
        double cpu0 = subject.cpuMillis();
        CpuWindow machine = CpuWindow.start(pids);
        window[0] = System.nanoTime();
        go.countDown();
        Thread.sleep(length.toMillis());
        long count = completed.get();
        double cpu1 = subject.cpuMillis();
        Map<String, Double> used = machine.end();
        window[1] = System.nanoTime();
        stopping.set(true);
        try {
            for (Future<?> thread : threads) {
                thread.get(180, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            dumpThreads(part);
            throw e;
        } finally {
            pool.shutdownNow();
        }
        double seconds = (window[1] - window[0]) / 1e9;
        if (around != null) {
            // The service's own CPU is in "others" of the machine's split; take it out there, not here.
            double service = (cpu1 - cpu0) / 1000.0;
            for (String name : AROUND_P2) {
                double value = used.get(name) - (name.equals("others") ? service : 0);
                around.put(name, count == 0 ? Double.NaN : Math.max(0, value) * 1000.0 / count);
            }
        }
        return new double[] {count / seconds, count == 0 ? Double.NaN : (cpu1 - cpu0) / count};
    }

    // ---------------------------------------------------------------------------------------------------------
    // P1c: CPU of the first jobs after a fresh start

    private void p1cColdCpu() throws Exception {
        int jobs = 20;
        int clients = 4;
        prepareImageLaunch();
        List<String> apiAot = new ArrayList<>(apiOptions);
        apiAot.add("-XX:AOTCache=" + extractedJar.resolveSibling("api.aot"));
        List<String> workerAot = new ArrayList<>(workerOptions);
        workerAot.add("-XX:AOTCache=" + extractedJar.resolveSibling("worker.aot"));
        Figure cold = new Figure("P1c", "CPU per job, first " + jobs + " jobs after a fresh start", "ms/job",
                "Redis flushed, then a fresh start of both processes (Panel One as the images run it: the extracted"
                        + " jar, the images' JVM flags and the AOT cache of each role; the peer through its start.sh);"
                        + " once the API and the worker answer /health, user+sys of the service's processes before and"
                        + " after " + jobs + " jobs (4 x 1 MiB JPEG, model latency 0, panel " + Services.panelSize() + ", " + clients + " in flight),"
                        + " divided by " + jobs + "; start-up CPU itself excluded (see P1c.startup); us and peer"
                        + " alternate run by run", "", null, false).ratio("<= 1.0x", 1.0, false);
        Figure startup = Figure.info("P1c.startup", "CPU of the start-up itself (launch to both /health 200)", "ms",
                "as P1c: user+sys of the service's processes when both answer /health");
        // The API's own share: JVM flags are per role (BENCH_API_OPTS), so an A/B of the API's flags reads this one.
        Figure apiPart = Figure.info("P1c.api", "CPU per job, first " + jobs + " jobs after a fresh start, API part",
                "ms/job", "as P1c, API process only");
        Figure apiStartup = Figure.info("P1c.api.startup", "CPU of the API's start-up (launch to both /health 200)",
                "ms", "as P1c.startup, API process only");
        ThreadSplit.Figures split = new ThreadSplit.Figures("P1c", "ms/job", "once both answer /health and after"
                + " the " + jobs + " jobs, divided by " + jobs);
        ThreadSplit.Figures startupSplit = new ThreadSplit.Figures("P1c.startup", "ms", "once both answer /health"
                + " (all their threads' time since launch)");
        for (int run = 1; run <= runs; run++) {
            flush(services.redisPort);
            api = services.startService("api-cold", java, withJfr(apiAot, "api-cold-" + run), extractedJar, "start",
                    Map.of());
            worker = services.startService("worker-cold", java, withJfr(workerAot, "worker-cold-" + run),
                    extractedJar, "worker", Map.of());
            services.awaitHttp(api, "/health", Duration.ofSeconds(300));
            services.awaitHttp(worker, "/health", Duration.ofSeconds(300));
            requireAotCacheMapped(api);
            requireAotCacheMapped(worker);
            ThreadSplit.Snapshot apiThreads = ThreadSplit.take(api.pid());
            ThreadSplit.Snapshot workerThreads = ThreadSplit.take(worker.pid());
            double cpu0 = us.cpuMillis();
            double api0 = api.cpuMillis();
            startup.add(cpu0);
            apiStartup.add(api0);
            runJobs(us, jobs, clients);
            double ours = (us.cpuMillis() - cpu0) / jobs;
            double apiMs = (api.cpuMillis() - api0) / jobs;
            cold.add(ours);
            apiPart.add(apiMs);
            List<String> splitLines = List.of(
                    split.add("api", apiThreads, ThreadSplit.take(api.pid()), jobs),
                    split.add("worker", workerThreads, ThreadSplit.take(worker.pid()), jobs),
                    startupSplit.add("api", ThreadSplit.Snapshot.EMPTY, apiThreads, 1),
                    startupSplit.add("worker", ThreadSplit.Snapshot.EMPTY, workerThreads, 1));
            stop(api);
            stop(worker);
            api = null;
            worker = null;
            String line = String.format("P1c run %d: us %.1f ms/job, API %.1f (start-up %.0f ms, API %.0f)", run,
                    ours, apiMs, cpu0, api0);
            if (peer != null) {
                flush(peerRedisPort);
                peer.start();
                double peer0 = peer.cpuMillis();
                startup.addPeer(peer0);
                runJobs(peer, jobs, clients);
                double theirs = (peer.cpuMillis() - peer0) / jobs;
                cold.addPeer(theirs);
                peer.stop();
                line += String.format("; peer %.1f ms/job (start-up %.0f ms)", theirs, peer0);
            }
            say(line);
            splitLines.forEach(Bench::say);
        }
        figures.addAll(List.of(cold, startup, apiPart, apiStartup));
        figures.addAll(split.figures());
        figures.addAll(startupSplit.figures());
    }

    /** A JVM that cannot map its AOT cache runs on without it, which would make P1c measure something else. */
    private static void requireAotCacheMapped(Services.Proc proc) throws IOException {
        String log = Files.readString(proc.log);
        if (log.contains("Unable to map shared spaces") || log.contains("shared class paths mismatch")) {
            throw new IllegalStateException(proc.name + " did not use its AOT cache; see " + proc.log);
        }
    }

    private static void flush(int redisPort) throws IOException {
        try (Resp redis = new Resp(redisPort)) {
            redis.call("FLUSHALL");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // B6: WebSocket fan-out

    private void b6Fanout(String jobId) throws Exception {
        int subscribers = smoke ? 20 : 1000;
        // Enough events for both JVMs' compilers to finish the fan-out's path before the measured ones: with 10, the
        // API's and the driver's compiler threads were still at work inside the window.
        int warmupEvents = smoke ? 2 : Integer.parseInt(System.getenv().getOrDefault("BENCH_B6_WARMUP", "100"));
        int events = smoke ? 5 : 30;
        services.jcmd(api, "GC.run");
        double heap0 = heapUsedMiB(api);
        say("B6: opening " + subscribers + " WebSockets on job " + jobId);
        Fanout fanout = new Fanout(subscribers);
        List<WebSocket> sockets = new ArrayList<>();
        Semaphore connecting = new Semaphore(50);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        // The listener only stamps a time, so it runs on the client's selector thread: with the default executor
        // each frame was handed to a pool thread, which cost the driver more CPU than the API spent sending it.
        HttpClient receiving = HttpClient.newBuilder().executor(Runnable::run)
                .version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < subscribers; i++) {
            connecting.acquire();
            int index = i;
            opening.add(receiving.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(URI.create(wsUrl(jobId)), fanout.listener(index))
                    .whenComplete((socket, error) -> connecting.release()));
        }
        for (CompletableFuture<WebSocket> each : opening) {
            sockets.add(each.get(60, TimeUnit.SECONDS));
        }
        fanout.awaitSnapshots(Duration.ofSeconds(60));
        Thread.sleep(500);
        services.jcmd(api, "GC.run");
        double heap1 = heapUsedMiB(api);
        Figure perSubscriber = Figure.info("B6.heap", "Heap per idle subscriber", "KiB",
                "API heap used after a full GC (jstat) with " + subscribers + " open, idle WebSockets minus before"
                        + " opening them, divided by " + subscribers);
        perSubscriber.add((heap1 - heap0) * 1024 / subscribers);
        String how = subscribers + " WebSockets on one QUEUED job, one API instance; the driver PUBLISHes a"
                + " synthetic event ({\"version\":N,\"job\":{...}}, the worker's format) to panel:events, then waits"
                + " for the frame on every socket; latency = frame arrival - just before PUBLISH (same clock); "
                + events + " events per run, " + warmupEvents + " warm-up events first, excluded";
        Figure p50 = Figure.info("B6.p50", "Status -> frame, p50", "ms", how);
        Figure p99 = new Figure("B6.p99", "Status -> frame, p99", "ms", how, "<= 20 ms", 20.0, false);
        // Who has the cores during the events: the API fanning out, or the driver receiving 1,000 frames an event.
        Figure apiCpu = Figure.info("B6.api.cpu", "CPU of the API a event", "ms/event", "user+sys of the API's"
                + " process (/proc/PID/stat) over a run's " + events + " events (50 ms pauses included) / events");
        Figure driverCpu = Figure.info("B6.driver.cpu", "CPU of the driver a event", "ms/event", "as B6.api.cpu,"
                + " for the benchmark's own JVM, which receives the " + subscribers + " frames of each event");
        // Which of the API's threads spend that CPU (the send carriers, Tomcat, Lettuce's listener, the compiler).
        ThreadSplit.Figures split = new ThreadSplit.Figures("B6", "ms/event", "before and after each run's " + events
                + " events, divided by " + events);
        JsonNode job = getJson(api.url() + "/job/" + jobId);
        long version = 1_000;
        try (Resp redis = new Resp(services.redisPort)) {
            for (int i = 0; i < warmupEvents; i++) {
                fanout.publish(redis, job, ++version, Duration.ofSeconds(30));
            }
            for (int run = 1; run <= runs; run++) {
                List<Double> latencies = new ArrayList<>();
                double api0 = api.cpuMillis();
                double driver0 = driverCpuMillis();
                ThreadSplit.Snapshot apiThreads = ThreadSplit.take(api.pid());
                for (int i = 0; i < events; i++) {
                    latencies.addAll(fanout.publish(redis, job, ++version, Duration.ofSeconds(30)));
                }
                say(split.add("api", apiThreads, ThreadSplit.take(api.pid()), events));
                apiCpu.add((api.cpuMillis() - api0) / events);
                driverCpu.add((driverCpuMillis() - driver0) / events);
                p50.add(Figure.percentile(latencies, 50));
                p99.add(Figure.percentile(latencies, 99));
                say(String.format("B6 run %d: p50 %.1f ms, p99 %.1f ms (%d frames); CPU a event: API %.1f ms,"
                        + " driver %.1f ms", run, Figure.percentile(latencies, 50), Figure.percentile(latencies, 99),
                        latencies.size(), apiCpu.runs.get(run - 1), driverCpu.runs.get(run - 1)));
            }
        }
        sockets.forEach(WebSocket::abort);
        Files.write(services.work.resolve("b6-events.tsv"), fanout.trace); // a trace, not a published figure
        figures.addAll(List.of(p50, p99, perSubscriber, apiCpu, driverCpu));
        figures.addAll(split.figures());
        say(String.format("B6 heap per idle subscriber %.1f KiB", perSubscriber.median()));
    }

    private static double driverCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
    }

    /** Many sockets on one job; each frame's arrival time is kept per socket for the event in flight. */
    private static final class Fanout {
        private final int size;
        private final AtomicLongArray arrivals;
        private volatile CountDownLatch pending;
        /** Per event: version, then System.nanoTime (CLOCK_MONOTONIC, shared by every process here) of the
         *  PUBLISH, the first and the last frame's arrival; written to b6-events.tsv to set beside the API's. */
        final List<String> trace = new ArrayList<>();

        Fanout(int size) {
            this.size = size;
            this.arrivals = new AtomicLongArray(size);
            this.pending = new CountDownLatch(size);
        }

        WebSocket.Listener listener(int index) {
            return new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    if (last) {
                        arrivals.set(index, System.nanoTime());
                        pending.countDown();
                    }
                    socket.request(1);
                    return null;
                }
            };
        }

        void awaitSnapshots(Duration timeout) throws InterruptedException {
            if (!pending.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(pending.getCount() + " subscribers got no first frame");
            }
        }

        List<Double> publish(Resp redis, JsonNode job, long version, Duration timeout) throws Exception {
            CountDownLatch latch = new CountDownLatch(size);
            pending = latch;
            Map<String, Object> view = JSON.convertValue(job, Map.class);
            view.put("status", version % 2 == 0 ? "PROCESSING_IMAGES" : "GENERATING_STORY");
            String event = JSON.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of("version", version, "job", view));
            long publishedAt = System.nanoTime();
            redis.call("PUBLISH", "panel:events", event);
            if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(latch.getCount() + " subscribers missed event " + version);
            }
            List<Double> latencies = new ArrayList<>(size);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                latencies.add((arrivals.get(i) - publishedAt) / 1e6);
                first = Math.min(first, arrivals.get(i));
                last = Math.max(last, arrivals.get(i));
            }
            trace.add(version + "\t" + publishedAt + "\t" + first + "\t" + last);
            Thread.sleep(50);
            return latencies;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // B4: jobs in flight

    private void b4InFlight() throws Exception {
        int jobs = smoke ? 5 : 100;
        long latencyMs = smoke ? 500 : 5_000;
        try (Resp redis = new Resp(services.redisPort)) {
            redis.call("FLUSHALL");
        }
        stop(worker);
        worker = services.startService("worker", java, withJfr(workerOptions, "worker-b4"),
                services.serviceJar, "worker", Map.of());
        services.awaitHttp(worker, "/health", Duration.ofSeconds(300));
        Thread.sleep(1_000);
        setGeminiLatency(latencyMs);
        String how = jobs + " jobs (4 x 1 MiB JPEG each) POSTed at once by " + jobs + " threads, model latency "
                + latencyMs + " ms a call (2 calls a job), one worker (" + String.join(" ", workerOptions)
                + ", PANEL_MAX_CONCURRENT_JOBS=" + System.getenv().getOrDefault("PANEL_MAX_CONCURRENT_JOBS", "default")
                + "); time from the first POST to the last COMPLETED frame";
        Figure all = new Figure("B4.all", "Jobs in flight: " + jobs + " jobs, all COMPLETED after", "s", how,
                "<= 20 s", 20.0, false);
        Figure accepted = Figure.info("B4.accepted", "Jobs in flight: last 202 after", "s",
                "as B4, time from the first POST to the last 202");
        Figure rss = Figure.info("B4.worker.rss", "Worker peak RSS (VmHWM)", "MiB", "VmHWM of the worker after B4");
        // The window holds the 5 s model calls' waits too; a waiting thread costs next to nothing.
        ThreadSplit.Figures split = new ThreadSplit.Figures("B4", "ms/job", "before the first POST and after the"
                + " last COMPLETED frame of each run, divided by " + jobs);
        // Where the run's wall time went on the two cores: each process's CPU, the rest of the machine, idle.
        Map<String, Figure> cpu = new LinkedHashMap<>();
        for (String name : List.of("api", "worker", "gemini-emulator", "gcs-emulator", "redis", "driver", "others",
                "idle")) {
            String what = switch (name) {
                case "others" -> "CPU of other processes (other tenants)";
                case "idle" -> "time both cores stayed idle";
                default -> "CPU of " + name;
            };
            cpu.put(name, Figure.info("B4.cpu." + name, "Jobs in flight: " + what + " during a run", "s",
                    "user + system time from /proc/PID/stat (the process and its descendants; driver: the"
                    + " benchmark's own JVM) from the first POST to the last COMPLETED frame; others: the machine's"
                    + " busy time (/proc/stat) minus these; idle: idle + iowait of both cores"));
        }
        say("B4 warm-up: one job at model latency " + latencyMs + " ms");
        awaitEnd(submit(fourPhotos, fourPhotosBody)).get(120, TimeUnit.SECONDS);
        for (int run = 1; run <= runs; run++) {
            services.forgetGeminiCalls();
            ExecutorService pool = Executors.newFixedThreadPool(jobs);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<long[]>> results = new ArrayList<>();
            List<String> submitted = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < jobs; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    String jobId = submit(fourPhotos, fourPhotosBody);
                    submitted.add(jobId);
                    long acceptedAt = System.nanoTime();
                    return new long[] {acceptedAt, awaitEnd(jobId).get(300, TimeUnit.SECONDS)};
                }));
            }
            ThreadSplit.Snapshot apiThreads = ThreadSplit.take(api.pid());
            ThreadSplit.Snapshot workerThreads = ThreadSplit.take(worker.pid());
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("api", api.pid());
            pids.put("worker", worker.pid());
            pids.put("gemini-emulator", services.gemini.pid());
            pids.put("gcs-emulator", services.gcs.pid());
            pids.put("redis", CpuWindow.childPid("redis-server", Integer.toString(services.redisPort)));
            pids.put("driver", 0L);
            CpuWindow window = CpuWindow.start(pids);
            long start = System.nanoTime();
            go.countDown();
            long lastAccepted = 0;
            long lastDone = 0;
            int completed = 0;
            String failure = null;
            long deadline = start + TimeUnit.SECONDS.toNanos(300);
            for (Future<long[]> result : results) {
                long[] times = null;
                while (times == null && failure == null && worker.process.isAlive()
                        && System.nanoTime() < deadline) {
                    try {
                        times = result.get(1, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // still running; check the worker is too
                    } catch (java.util.concurrent.ExecutionException e) {
                        // a job FAILED, or its POST or socket did: the run is broken, say how
                        failure = String.valueOf(e.getCause().getMessage());
                    }
                }
                if (times == null) {
                    break;
                }
                completed++;
                lastAccepted = Math.max(lastAccepted, times[0]);
                lastDone = Math.max(lastDone, times[1]);
            }
            pool.shutdownNow();
            if (completed < jobs) {
                String why = !worker.process.isAlive()
                        ? "the worker exited (" + lastLine(worker.log, "OutOfMemoryError") + ")"
                        : failure != null ? failure
                        : "not all jobs ended within 300 s; statuses then: " + statuses(submitted);
                say("B4 run " + run + " stalled or broke (" + why + "): thread dumps follow");
                dumpThreads("B4-run" + run);
                all.detail.put("run_" + run, completed + " of " + jobs + " jobs COMPLETED; " + why);
                breakages.add("B4: " + completed + " of " + jobs + " jobs completed; " + why);
                say("B4 run " + run + ": " + completed + " of " + jobs + " jobs completed; " + why);
                all.failed = true;
                break;
            }
            all.add((lastDone - start) / 1e9);
            accepted.add((lastAccepted - start) / 1e9);
            Map<String, Double> used = window.end();
            say(String.format("B4 run %d: last 202 after %.1f s, all COMPLETED after %.1f s", run,
                    (lastAccepted - start) / 1e9, (lastDone - start) / 1e9));
            say("B4 run " + run + " CPU: " + CpuWindow.describe(used));
            cpu.forEach((name, figure) -> figure.add(used.get(name)));
            say(split.add("api", apiThreads, ThreadSplit.take(api.pid()), jobs));
            say(split.add("worker", workerThreads, ThreadSplit.take(worker.pid()), jobs));
        }
        if (worker.process.isAlive()) {
            rss.add(worker.statusKiB("VmHWM") / 1024.0);
        }
        setGeminiLatency(0);
        figures.addAll(List.of(all, accepted, rss));
        figures.addAll(cpu.values());
        figures.addAll(split.figures());
    }

    /** How many of these jobs are at each status now (GET /job), e.g. {@code {PROCESSING_IMAGES=100}}. */
    private Map<String, Integer> statuses(List<String> jobIds) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String jobId : List.copyOf(jobIds)) {
            String status;
            try {
                status = getJson(api.url() + "/job/" + jobId).path("status").asText("?");
            } catch (Exception e) {
                status = "unreadable (" + e.getClass().getSimpleName() + ")";
            }
            counts.merge(status, 1, Integer::sum);
        }
        return counts;
    }

    /** The last line of a log mentioning {@code word}, or a pointer to the log. */
    private static String lastLine(Path log, String word) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(line -> line.contains(word)).toList();
            return lines.isEmpty() ? "see " + log : lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            return "see " + log;
        }
    }

    private void setGeminiLatency(long ms) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(services.gemini.url() + "/_emulator/latency"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"ms\":" + ms + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("cannot set the model latency: " + response.statusCode());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // B5: launch to first /health 200

    private void b5Launch() throws Exception {
        int warmups = smoke ? 0 : 1;
        int launches = smoke ? 1 : 3;
        List<Launch> configs = new ArrayList<>();
        Path fatJar = services.serviceJar;
        configs.add(new Launch("jdk25-jar", "JDK 25, java -jar panel-one.jar", java, List.of(), fatJar));
        if (!smoke) {
            configs.add(new Launch("jdk17-jar", "JDK 17, java -jar panel-one.jar", java17, List.of(), fatJar));
            if (launchConfigs.contains("jdk25-extracted") || launchConfigs.contains("jdk25-aot")) {
                prepareImageLaunch();
                configs.add(new Launch("jdk25-extracted", "JDK 25, extracted jar, no AOT cache", java, List.of(),
                        extractedJar));
                configs.add(new Launch("jdk25-aot", "JDK 25, extracted jar + AOT cache (as the images)", java,
                        List.of("-XX:AOTCache=%s.aot"), extractedJar));
            }
        }
        configs.removeIf(config -> !launchConfigs.contains(config.id));
        String how = " to the first 200 from GET /health, polled every 10 ms; Redis and emulators up; each launch a"
                + " fresh process, killed after; one warm-up launch (page cache) before the first configuration of"
                + " each role, excluded; 3 launches for P4 and P4j, 2 for the others";
        Figure peerLaunch = null;
        String peerHow = "";
        if (peer != null) {
            peerHow = "; the peer: time from starting `" + String.join(" ", peer.apiCommand(0)).replace(" 0 ", " PORT ")
                    + "` in its folder (what its start.sh runs for the API) to its first /health 200, same polling,"
                    + " one warm-up launch";
            peerLaunch = Figure.info("P4.peer", "Launch -> first /health 200, peer API (uvicorn)", "s", peerHow);
            for (int i = -warmups; i < launches; i++) {
                int port = Services.freePort();
                Services.Proc proc = services.launch("peer-api", peer.apiCommand(port), peer.env(port), port,
                        peer.dir());
                long ready = services.awaitHttp(proc, "/health", Duration.ofSeconds(60));
                double seconds = (ready - proc.launchedAt) / 1e9;
                services.stop(proc, false);
                if (i >= 0) {
                    peerLaunch.add(seconds);
                }
                say(String.format("P4 peer API%s: %.2f s", i < 0 ? " (warm-up)" : "", seconds));
            }
        }
        for (String role : List.of("api", "worker")) {
            if (smoke && role.equals("worker") || !launchRoles.contains(role)) {
                continue;
            }
            String command = role.equals("api") ? "start" : "worker";
            List<String> base = role.equals("api") ? apiOptions : workerOptions;
            boolean first = true;
            for (Launch config : configs) {
                int warmupLaunches = first ? warmups : 0;
                first = false;
                List<String> options = new ArrayList<>(base);
                for (String extra : config.options) {
                    String option = extra.replace("%s", config.jar.resolveSibling(role).toString());
                    options.add(option);
                }
                boolean p4 = role.equals("api") && config.id.equals("jdk25-aot");
                boolean p4j = role.equals("api") && config.id.equals("jdk17-jar");
                String id = p4 ? "P4" : p4j ? "P4j" : "B5." + role + "." + config.id;
                Figure figure = new Figure(id, "Launch -> first /health 200, " + role + ", " + config.label, "s",
                        "time from starting `java " + String.join(" ", options).replace(repo.toString() + "/", "")
                                + " -jar " + repo.relativize(config.jar) + " " + command + "`" + how
                                + (p4 || p4j ? peerHow : ""),
                        p4 ? "<= 1.0 s" : p4j ? "<= 3 s" : "", p4 ? Double.valueOf(1.0) : p4j ? Double.valueOf(3.0) : null,
                        false);
                if (p4) {
                    figure.ratio("<= 1.2x", 1.2, false);
                }
                if ((p4 || p4j) && peerLaunch != null) {
                    peerLaunch.runs.forEach(figure::addPeer);
                }
                // Where a target launch's CPU went up to its first 200: compilers, GC, the main thread (in "other").
                ThreadSplit.Figures split = p4 || p4j ? new ThreadSplit.Figures(id, "ms", "from the launch to the"
                        + " first /health 200 (one read of the JVM's threads when the 200 arrived)") : null;
                // Three launches for the targets, two for the context figures (a launch takes 5-50 s on busy cores).
                int count = p4 || p4j ? launches : Math.min(2, launches);
                for (int i = -warmupLaunches; i < count; i++) {
                    Services.Proc proc = services.startService(role + "-" + config.id, config.java, options,
                            config.jar, command, Map.of());
                    long ready = services.awaitHttp(proc, "/health", Duration.ofSeconds(300));
                    ThreadSplit.Snapshot atReady = split != null ? ThreadSplit.take(proc.pid()) : null;
                    double seconds = (ready - proc.launchedAt) / 1e9;
                    double cpu = proc.cpuMillis() / 1000;
                    services.stop(proc, true);
                    if (i >= 0) {
                        figure.add(seconds);
                    }
                    say(String.format("B5 %s %s%s: %.2f s (CPU %.2f s to it)", role, config.id,
                            i < 0 ? " (warm-up)" : "", seconds, cpu));
                    if (i >= 0 && atReady != null) {
                        say(split.add(role, ThreadSplit.Snapshot.EMPTY, atReady, 1));
                    }
                }
                figures.add(figure);
                if (split != null) {
                    figures.addAll(split.figures());
                }
            }
        }
    }

    /** The images' launch, once per run: the image jar extracted as the Dockerfiles do, and an AOT cache per role. */
    private void prepareImageLaunch() throws Exception {
        if (extractedJar != null) {
            return;
        }
        boolean trainWorker = launchRoles.contains("worker") || wants("P1C");
        boolean reuse = "1".equals(System.getenv("BENCH_AOT_REUSE"));
        Path extracted = reuse ? reusableImageDir(trainWorker) : services.work.resolve("extracted");
        Path jar = extracted.resolve("panel-one.jar");
        Path trained = extracted.resolve("trained");
        if (reuse && Files.exists(trained)) {
            say("reusing the extracted jar and AOT caches in " + repo.relativize(extracted) + " (BENCH_AOT_REUSE=1)");
            notes.put("aot_reused", repo.relativize(extracted).toString());
            extractedJar = jar;
            return;
        }
        extract(extracted);
        train(jar, apiOptions, "api", "start");
        if (trainWorker) {
            train(jar, workerOptions, "worker", "worker");
        }
        Files.writeString(trained, "");
        extractedJar = jar;
    }

    /**
     * BENCH_AOT_REUSE=1 (for A/B runs of P1c and P4, where training takes minutes on busy cores): the extracted jar and
     * its caches are kept under target/bench/aot-reuse/, one folder per image jar, training jar, JDK, JVM flags and
     * training mode, and a later run with the same inputs launches from them instead of extracting and training again.
     * The folder stays in place because a cache is only accepted at the class path (and jar times) it was trained on.
     */
    private Path reusableImageDir(boolean trainWorker) throws IOException {
        String inputs = String.join("\n", services.imageJar.toString(), Long.toString(Files.size(services.imageJar)),
                Files.getLastModifiedTime(services.imageJar).toString(), services.jar.toString(),
                Long.toString(Files.size(services.jar)), Files.getLastModifiedTime(services.jar).toString(), java,
                String.join(" ", apiOptions), String.join(" ", workerOptions), aotTraining, Boolean.toString(trainWorker));
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(inputs.getBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Files.createDirectories(repo.resolve("target/bench/aot-reuse")).resolve(HexFormat.of().formatHex(digest, 0, 8));
    }

    private record Launch(String id, String label, String java, List<String> options, Path jar) {}

    /** As the Dockerfiles: the image jar copied as panel-one.jar (extract names the result after it), then extracted. */
    private void extract(Path destination) throws Exception {
        deleteTree(destination);
        Path copy = Files.createDirectories(services.work.resolve("image-jar")).resolve("panel-one.jar");
        Files.copy(services.imageJar, copy, StandardCopyOption.REPLACE_EXISTING);
        Process extract = new ProcessBuilder(java, "-Djarmode=tools", "-jar", copy.toString(), "extract",
                "--destination", destination.toString()).redirectErrorStream(true)
                .redirectOutput(services.work.resolve("logs/extract.log").toFile()).start();
        if (!extract.waitFor(300, TimeUnit.SECONDS) || extract.exitValue() != 0) {
            throw new IllegalStateException("jar extraction failed; see logs/extract.log");
        }
        Files.delete(copy);
    }

    /**
     * The images' training run, writing ROLE.aot beside the extracted jar. "start" (the Dockerfiles' procedure):
     * {@code aot.AotTraining --jobs 0} from this build's full jar starts redis-server, the emulators and both roles,
     * waits for /health, then stops the trained role so its JVM writes the cache; "jobs" drives 24 real jobs through
     * the API first. "health" ({@code BENCH_AOT_TRAINING=health}, how the images were trained before; for jars built
     * before aot.AotTraining): the service alone on an embedded Redis with storage and Gemini unreachable, one
     * GET /health, then exit.
     */
    private void train(Path jar, List<String> base, String role, String command) throws Exception {
        Path cache = jar.resolveSibling(role + ".aot");
        Files.deleteIfExists(cache);
        List<String> trained = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache));
        trained.addAll(base);
        List<String> line = new ArrayList<>();
        if (!aotTraining.equals("health")) {
            // The driver from this build's jar (its manifest puts lib/ on the class path); the Dockerfiles run the
            // same class from the standalone jar through Spring Boot's launcher, as they mount one file.
            line.addAll(List.of(java, "-Djava.awt.headless=true", "-cp", services.jar.toString(), "aot.AotTraining",
                    "--jobs", aotTraining.equals("jobs") ? "24" : "0", "--"));
            line.addAll(trained);
            // The jar by the path the launches below use: a cache records its class path and is refused ("shared
            // class paths mismatch") by a JVM started with another (the images use panel-one.jar in /app for both).
            line.addAll(List.of("-jar", jar.toString(), command));
        } else {
            line.addAll(trained);
            line.addAll(List.of("-Dpanel.aot-training=true", "-jar", jar.toString(), command));
        }
        ProcessBuilder builder = new ProcessBuilder(line).directory(jar.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(services.work.resolve("logs/train-" + role + ".log").toFile());
        builder.environment().remove("REDIS_URL");
        if (aotTraining.equals("health")) {
            // As the Dockerfiles were: no REDIS_URL, so the training run starts its own embedded Redis.
            builder.environment().putAll(Map.of("PORT", Integer.toString(Services.freePort()),
                    "MANAGEMENT_PORT", Integer.toString(Services.freePort()), "PROJECT_ID", "training",
                    "GEMINI_API_KEY", "training", "STORAGE_EMULATOR_HOST", "http://127.0.0.1:1"));
        }
        say("B5 training the AOT cache for " + role + " (" + aotTraining + ")");
        long start = System.nanoTime();
        Process training = builder.start();
        if (!training.waitFor(1200, TimeUnit.SECONDS) || training.exitValue() != 0 || !Files.exists(cache)) {
            training.destroyForcibly();
            throw new IllegalStateException("AOT training for " + role + " failed; see logs/train-" + role + ".log");
        }
        notes.put("aot_cache_" + role, Map.of("training", aotTraining,
                "training_seconds", Figure.round((System.nanoTime() - start) / 1e9),
                "size_mib", Figure.round(Files.size(cache) / MIB)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Services and the public API

    /** Both at once, as a deployment starts them; each must answer GET /health. */
    private void startApiAndWorker() throws Exception {
        api = services.startService("api", java, withJfr(apiOptions, "api"), services.serviceJar, "start", Map.of());
        worker = services.startService("worker", java, withJfr(workerOptions, "worker"), services.serviceJar, "worker",
                Map.of());
        services.awaitHttp(api, "/health", Duration.ofSeconds(300));
        say("API up on " + api.url() + " (pid " + api.pid() + ")");
        services.awaitHttp(worker, "/health", Duration.ofSeconds(300));
        say("worker up on " + worker.url() + " (pid " + worker.pid() + ")");
    }

    /**
     * BENCH_JFR=1 records a flight recording per service process into the work dir's jfr/ folder. Not for launches
     * with an AOT cache (P1c): the recorder adds the jdk.jfr module, and a JVM whose modules differ from the training
     * run's refuses the cache, so P1c would measure a launch the images never make.
     */
    private List<String> withJfr(List<String> options, String name) throws IOException {
        if (!"1".equals(System.getenv("BENCH_JFR")) || options.stream().anyMatch(o -> o.startsWith("-XX:AOTCache="))) {
            return options;
        }
        Path dir = Files.createDirectories(services.work.resolve("jfr"));
        List<String> with = new ArrayList<>(options);
        with.add("-XX:StartFlightRecording=filename=" + dir.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
        return with;
    }

    /**
     * Jobs that never ended: thread dumps of the API, the worker and both emulators go to the work dir's logs folder,
     * named after the part, for diagnosis. Two per process: {@code Thread.print} (platform threads, with the locks
     * they hold and wait for) and, on JDK 21+, {@code Thread.dump_to_file -format=json}, the only one that lists
     * virtual threads (the worker's jobs and I/O run on them) with their stacks.
     */
    private void dumpThreads(String part) {
        for (Services.Proc proc : new Services.Proc[] {api, worker, services.gemini, services.gcs}) {
            if (proc == null || !proc.process.isAlive()) {
                continue;
            }
            Path logs = services.work.resolve("logs");
            try {
                Path dump = logs.resolve("threads-" + part + "-" + proc.name + ".txt");
                Files.writeString(dump, services.jcmd(proc, "Thread.print", "-l"));
                say(part + ": thread dump of " + proc.name + " in " + dump);
                Path json = logs.resolve("threads-" + part + "-" + proc.name + ".json").toAbsolutePath();
                Files.deleteIfExists(json);
                String answer = services.jcmd(proc, "Thread.dump_to_file", "-format=json", json.toString());
                say(part + ": " + (Files.exists(json) ? "virtual and platform threads of " + proc.name + " in " + json
                        : "no JSON thread dump of " + proc.name + ": " + answer.trim().replace('\n', ' ')));
            } catch (IOException | RuntimeException | InterruptedException e) {
                say(part + ": no thread dump of " + proc.name + ": " + e);
            }
        }
    }

    private void stop(Services.Proc proc) {
        if (proc != null) {
            services.stop(proc, false);
        }
    }

    private String submit(Multipart request, byte[] body) throws Exception {
        return submit(us, request, body);
    }

    private String submit(Subject subject, Multipart request, byte[] body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(subject.apiUrl() + "/generate"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", request.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /generate answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body()).path("job_id").asText();
    }

    /** Completes with the nanoTime of the job's COMPLETED frame; fails on FAILED or a close without either. */
    private CompletableFuture<Long> awaitEnd(String jobId) {
        return awaitEnd(us, jobId);
    }

    private CompletableFuture<Long> awaitEnd(Subject subject, String jobId) {
        CompletableFuture<Long> ended = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create(wsUrl(subject, jobId)), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        long at = System.nanoTime();
                        partial.append(data);
                        if (last) {
                            String frame = partial.toString();
                            partial.setLength(0);
                            // (the peer writes JSON with a space after each colon)
                            if (COMPLETED.matcher(frame).find()) {
                                ended.complete(at);
                            } else if (FAILED.matcher(frame).find() || frame.contains("\"detail\"")) {
                                ended.completeExceptionally(new IllegalStateException("job " + jobId + ": " + frame));
                            }
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                        ended.completeExceptionally(new IllegalStateException("job " + jobId
                                + ": socket closed (" + status + ") before COMPLETED"));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket socket, Throwable error) {
                        ended.completeExceptionally(error);
                    }
                })
                .whenComplete((socket, error) -> {
                    if (error != null) {
                        ended.completeExceptionally(error);
                    }
                });
        return ended;
    }

    private String wsUrl(String jobId) {
        return wsUrl(us, jobId);
    }

    private String wsUrl(Subject subject, String jobId) {
        return subject.apiUrl().replace("http://", "ws://") + "/ws/" + jobId;
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Results

    private void write() throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        results.put("mode", smoke ? "smoke" : "full");
        results.put("runs_per_figure", runs);
        results.put("machine", machine());
        results.put("service_jdk", javaVersion(java));
        results.put("service_jvm_options", Map.of("api", String.join(" ", apiOptions),
                "worker", String.join(" ", workerOptions)));
        results.put("driver_jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        results.put("notes", notes);
        results.put("figures", figures.stream().map(Figure::toJson).toList());
        Files.createDirectories(out);
        Path json = out.resolve(smoke ? "results-smoke.json" : !only.isEmpty() ? "results-partial.json" : "results.json");
        JSON.writeValue(json.toFile(), results);
        if (!smoke && only.isEmpty()) {
            writeMarkdown(results);
        }
    }

    @SuppressWarnings("unchecked")
    private void writeMarkdown(Map<String, Object> results) throws IOException {
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        md.append(MARK_BEGIN).append("\n\n");
        md.append("Measured ").append(results.get("date")).append(" on ").append(machine.get("cpu")).append(", ")
                .append(machine.get("cores")).append(" cores (shared with other work), ")
                .append(machine.get("memory_mib")).append(" MiB RAM, ").append(machine.get("os")).append(".\n")
                .append("Service JVMs: ").append(results.get("service_jdk")).append("; API `")
                .append(String.join(" ", apiOptions)).append("`, worker `").append(String.join(" ", workerOptions))
                .append("`. Min / median / max over ").append(runs).append(" runs; warm-up excluded (see each"
                        + " method). Raw figures: `bench/results.json`.\n");
        Object load = notes.get("load_average_1_5_15_min");
        if (load instanceof Map<?, ?> loads) {
            md.append("Load average (1 / 5 / 15 min) of the 2 cores when each part started, other tenants included: ");
            md.append(String.join("; ", loads.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()))
                    .append(".\n");
        }
        md.append("\n");
        List<Figure> compared = figures.stream().filter(Figure::compared).toList();
        if (!compared.isEmpty()) {
            md.append("Against the peer (").append(notes.getOrDefault("peer", "")).append("). Each cell: median"
                    + " (min-max); ratio = median us / median peer.\n\n");
            md.append("| id | figure | us | peer | ratio us/peer | target | met |\n");
            md.append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
            for (Figure f : compared) {
                Boolean met = f.met();
                md.append("| ").append(f.id).append(" | ").append(f.label).append(" (").append(f.unit).append(") | ")
                        .append(cell(f.runs)).append(" | ").append(cell(f.peerRuns)).append(" | ")
                        .append(Double.isNaN(f.ratioValue()) ? "-" : number(f.ratioValue()) + "x").append(" | ")
                        .append(f.targets()).append(" | ")
                        .append(met == null ? "" : met ? "yes" : "**no**").append(f.failed ? " (run failed)" : "")
                        .append(" |\n");
            }
            md.append("\nPanel One only:\n\n");
        }
        md.append("| id | figure | min | median | max | target | met |\n");
        md.append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
        for (Figure f : figures.stream().filter(f -> !f.compared() && !isThreadSplit(f)).toList()) {
            Boolean met = f.met();
            md.append("| ").append(f.id).append(" | ").append(f.label).append(" (").append(f.unit).append(") | ")
                    .append(number(f.min())).append(" | ").append(number(f.median())).append(" | ")
                    .append(number(f.max())).append(" | ").append(f.targetText).append(" | ")
                    .append(met == null ? "" : met ? "yes" : "**no**").append(f.failed ? " (run failed)" : "")
                    .append(" |\n");
        }
        threadSplitTable(md);
        md.append("\nMethods:\n\n");
        for (Figure f : figures.stream().filter(f -> !isThreadSplit(f)).toList()) {
            md.append("- **").append(f.id).append("**: ").append(f.method).append(".\n");
        }
        if (figures.stream().anyMatch(Bench::isThreadSplit)) {
            md.append("- **CPU by thread group**: ").append(ThreadSplit.METHOD).append("; read around the part's"
                    + " jobs (P1, P1c, B4: divided by the job count) or at /health (P1c.startup: launch to /health).\n");
        }
        md.append("\n").append(MARK_END);
        Path file = repo.resolve("BENCHMARKS.md");
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n" + MARK_BEGIN + "\n" + MARK_END + "\n";
        int begin = text.indexOf(MARK_BEGIN);
        int end = text.indexOf(MARK_END);
        if (begin < 0 || end < begin) {
            text = text + "\n" + MARK_BEGIN + "\n" + MARK_END + "\n";
            begin = text.indexOf(MARK_BEGIN);
            end = text.indexOf(MARK_END);
        }
        text = text.substring(0, begin) + md + text.substring(end + MARK_END.length());
        Files.writeString(file, text);
    }

    private static boolean isThreadSplit(Figure f) {
        return f.detail.containsKey("thread_split");
    }

    /**
     * The per-thread splits as one table per part (rows: thread groups; columns: user and system time of each JVM),
     * medians of the runs, rather than dozens of rows in the table above.
     */
    @SuppressWarnings("unchecked")
    private void threadSplitTable(StringBuilder md) {
        Map<String, Map<String, Map<String, Figure>>> parts = new LinkedHashMap<>(); // part -> group -> column
        for (Figure f : figures.stream().filter(Bench::isThreadSplit).toList()) {
            Map<String, String> at = (Map<String, String>) f.detail.get("thread_split");
            parts.computeIfAbsent(at.get("part") + " (" + f.unit + ")", k -> new LinkedHashMap<>())
                    .computeIfAbsent(at.get("group"), k -> new LinkedHashMap<>())
                    .put(at.get("process") + " " + at.get("kind"), f);
        }
        if (parts.isEmpty()) {
            return;
        }
        md.append("\nCPU by thread group (medians of the runs; id PART.PROCESS.GROUP.user|sys in `bench/results.json`):\n");
        for (Map.Entry<String, Map<String, Map<String, Figure>>> part : parts.entrySet()) {
            md.append("\n| ").append(part.getKey()).append(" | api user | api sys | worker user | worker sys |\n");
            md.append("| --- | ---: | ---: | ---: | ---: |\n");
            Map<String, Map<String, Figure>> rows = new LinkedHashMap<>(part.getValue());
            rows.put("total", rows.remove("total")); // the process's own figures last, under its groups
            for (Map.Entry<String, Map<String, Figure>> row : rows.entrySet()) {
                String group = row.getKey();
                md.append("| ").append(group.equals("total") ? "**process**" : group + ": "
                        + ThreadSplit.describe(group));
                for (String column : List.of("api user", "api sys", "worker user", "worker sys")) {
                    Figure f = row.getValue().get(column);
                    md.append(" | ").append(f == null ? "-" : number(f.median()));
                }
                md.append(" |\n");
            }
        }
    }

    private static String cell(List<Double> runs) {
        if (runs.isEmpty()) {
            return "-";
        }
        double min = runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String median = number(Figure.percentile(runs, 50));
        return runs.size() == 1 ? median : median + " (" + number(min) + "-" + number(max) + ")";
    }

        private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double rounded = Figure.round(value);
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
    }

    private static Map<String, Object> machine() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        machine.put("cpu", cpu);
        long memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("\\D", ""))).orElse(0L);
        machine.put("memory_mib", memKiB / 1024);
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return machine;
    }

    private static String javaVersion(String java) throws Exception {
        Process version = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true)
                .start();
        String output = new String(version.getInputStream().readAllBytes());
        version.waitFor();
        String vendor = "";
        String runtime = "";
        for (String line : output.split("\n")) {
            line = line.trim();
            if (line.startsWith("java.vendor = ")) {
                vendor = line.substring("java.vendor = ".length());
            } else if (line.startsWith("java.runtime.version = ")) {
                runtime = line.substring("java.runtime.version = ".length());
            }
        }
        return (vendor + " " + runtime).trim();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void say(String line) {
        System.out.println("bench: " + line);
        System.out.flush();
    }
}
