package web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import emulator.Fault;
import emulator.GeminiEmulator;
import java.awt.Color;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import support.Multipart;
import support.PanelHarness;
import support.PhotoCorpus;
import support.Photos;

/**
 * The GET / page in a real headless Chromium, against a real API and worker (Redis, storage and Gemini emulators):
 * upload, live stages, the finished panel, history, the API's refusals, a failed job and a phone-sized screen.
 */
class WebPageIT {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final List<String> STAGES =
            List.of("QUEUED", "PROCESSING_IMAGES", "GENERATING_STORY", "GENERATING_IMAGE", "UPLOADING");

    private static PanelHarness harness;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;
    private static Path photos;
    private static Path profile;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "/usr/bin/chromedriver is missing: apt-get install -y chromium chromium-driver");
        harness = new PanelHarness();
        // Each model call takes this long, so every stage stays on screen long enough to be seen.
        harness.gemini.setLatency(Duration.ofMillis(500));
        app = harness.start(Map.of(), "api", "worker");
        baseUrl = PanelHarness.baseUrl(app);
        photos = Files.createTempDirectory("web-page-photos");
        profile = Files.createTempDirectory("chromium-profile");
        driver = chromium(profile);
    }

    /** A headless Chromium with its own profile folder: its own localStorage, so its own client token. */
    private static ChromeDriver chromium(Path profileDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (harness != null) {
            harness.close();
        }
        for (Path dir : new Path[] {photos, profile}) {
            if (dir != null) {
                FileSystemUtils.deleteRecursively(dir.toFile());
            }
        }
    }

    @BeforeEach
    void desktop() {
        harness.gemini.clearFaults();
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    @Test
    void uploadsTwoPhotosFollowsTheStagesAndShowsThePanelAndStory() throws Exception {
        Path beach = photo("beach.jpg", Photos.jpeg(320, 240, Color.BLUE));
        Path dog = photo("dog.png", Photos.png(200, 200, Color.ORANGE));
        Path extra = photo("extra.png", Photos.png(120, 90, Color.GREEN));
        open();

        WebElement input = driver.findElement(By.id("files"));
        input.sendKeys(beach + "\n" + dog);
        waitUntil("two thumbnails", () -> thumbnails().size() == 2);
        input.sendKeys(extra.toString());
        waitUntil("three thumbnails", () -> thumbnails().size() == 3);
        driver.findElement(By.cssSelector("#thumbs button[aria-label='Remove extra.png']")).click();
        waitUntil("the extra photo removed", () -> thumbnails().size() == 2);
        assertThat(thumbnails()).extracting(img -> img.getAttribute("alt")).containsExactly("beach.jpg", "dog.png");

        driver.findElement(By.id("submit")).click();

        // Every poll records the step marked current; the job must be seen passing through at least two stages.
        Set<String> seen = new LinkedHashSet<>();
        waitUntil("the job to complete", () -> {
            driver.findElements(By.cssSelector("#timeline li[aria-current='step']"))
                    .forEach(step -> seen.add(step.getDomAttribute("data-stage")));
            return "done".equals(stepState("END"));
        });
        assertThat(seen).as("stages seen as current").filteredOn(STAGES::contains).hasSizeGreaterThanOrEqualTo(2);
        assertThat(STAGES).allSatisfy(stage -> assertThat(stepState(stage)).isEqualTo("done"));

        JsonNode job = history(browserToken(driver), 1).get(0);
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        String imageUrl = job.path("result").path("image_url").asText();
        WebElement panel = driver.findElement(By.id("panel-image"));
        waitUntil("the panel image to load", () -> imageLoaded(panel));
        assertThat(panel.getDomProperty("src")).isEqualTo(imageUrl);
        assertThat(panel.getDomAttribute("alt")).startsWith("Comic panel:");
        assertThat(squash(driver.findElement(By.id("story")).getText()))
                .isNotBlank()
                .isEqualTo(squash(job.path("result").path("story").asText()));
        WebElement download = driver.findElement(By.id("download"));
        assertThat(download.getDomProperty("href")).isEqualTo(imageUrl);
        assertThat(download.getDomAttribute("download")).isNotNull();
        assertThat(driver.findElement(By.id("status")).getText()).contains("ready");

        WebElement entry = waitFor("the job in the history list",
                By.cssSelector("#history button[data-job-id='" + job.path("job_id").asText() + "'][data-status='COMPLETED']"));
        WebElement thumbnail = entry.findElement(By.tagName("img"));
        waitUntil("the history thumbnail to load", () -> imageLoaded(thumbnail));

        driver.manage().window().setSize(new Dimension(1280, 1500));
        driver.executeScript("window.scrollTo(0, 0)");
        Path screenshot = Path.of("target", "screenshots", "web-page-finished.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void showsAPlaceholderForAHeicAndStillSubmitsIt() throws Exception {
        byte[] heicBytes = PhotoCorpus.heic(PhotoCorpus.Heic.grid(128, 96));
        Path heic = photo("IMG_0042.HEIC", heicBytes);
        Path beach = photo("beach2.jpg", Photos.jpeg(320, 240, Color.BLUE));
        open();

        driver.findElement(By.id("files")).sendKeys(heic + "\n" + beach);
        waitUntil("two chosen photos", () -> driver.findElements(By.cssSelector("#thumbs li")).size() == 2);

        WebElement heicThumb = driver.findElements(By.cssSelector("#thumbs li")).get(0);
        WebElement placeholder = heicThumb.findElement(By.cssSelector(".thumb-placeholder"));
        assertThat(placeholder.isDisplayed()).isTrue();
        assertThat(placeholder.getText()).contains("HEIC", "IMG_0042.HEIC", "1 KiB");
        assertThat(placeholder.getDomAttribute("role")).isEqualTo("img");
        assertThat(heicThumb.findElements(By.tagName("img"))).as("no <img> tries to draw the HEIC").isEmpty();
        assertThat(driver.findElement(By.id("form-message")).getText()).isEmpty();
        WebElement jpegPreview = thumbnails().get(0);
        waitUntil("the JPEG's preview to load", () -> imageLoaded(jpegPreview));
        Path screenshot = Path.of("target", "screenshots", "web-page-heic-placeholder.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);

        driver.findElement(By.id("submit")).click();
        waitUntil("the job to complete", () -> "done".equals(stepState("END")));

        assertThat(harness.gemini.uploads()).filteredOn(upload -> upload.displayName().endsWith("IMG_0042.heic"))
                .singleElement().satisfies(upload -> {
                    assertThat(upload.mimeType()).isEqualTo("image/heic");
                    assertThat(upload.size()).isEqualTo(heicBytes.length);
                });
    }

    @Test
    void showsTheApisDetailWhenItRefusesAnUpload() throws Exception {
        // A .png of text passes the page's own checks (type from the name, size), only the API reads the bytes.
        byte[] text = "this is a shopping list, not a picture".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> refusal = harness.post(app, new Multipart().file("files", "notes.png", "image/png", text));
        assertThat(refusal.statusCode()).isEqualTo(400);
        String detail = PanelHarness.json(refusal.body()).path("detail").asText();
        assertThat(detail).isNotBlank();

        open();
        driver.findElement(By.id("files")).sendKeys(photo("notes.png", text).toString());
        // The browser cannot draw it, so it gets the placeholder rather than a broken image; it is sent anyway.
        waitUntil("the placeholder of notes.png", () -> driver.findElements(By.cssSelector("#thumbs li .thumb-placeholder")).size() == 1);
        driver.findElement(By.id("submit")).click();

        waitUntil("the API's detail on the page", () -> driver.findElement(By.id("form-message")).getText().contains(detail));
        assertThat(driver.findElement(By.id("job")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("submit")).isEnabled()).as("the photos can be sent again").isTrue();
    }

    @Test
    void showsWhyAJobFailedLiveAndFromHistory() throws Exception {
        harness.gemini.enqueue(GeminiEmulator.IMAGE_MODEL, Fault.finishReason("IMAGE_SAFETY"));
        open();
        driver.findElement(By.id("files")).sendKeys(photo("cat.jpg", Photos.jpeg(160, 120, Color.GRAY)).toString());
        waitUntil("one thumbnail", () -> thumbnails().size() == 1);
        driver.findElement(By.id("submit")).click();

        waitUntil("the job to fail", () -> "failed".equals(stepState("END")));
        String reason = driver.findElement(By.id("failure")).getText();
        assertThat(reason).containsIgnoringCase("safety");
        assertThat(driver.findElement(By.cssSelector("#timeline li[data-stage='END']")).getText()).contains("Failed");
        assertThat(stepState("GENERATING_IMAGE")).as("the stage it stopped at").isEqualTo("failed");
        assertThat(driver.findElement(By.id("result")).isDisplayed()).isFalse();

        // A fresh page knows the job only from GET /jobs: clicking it still tells why it failed.
        String jobId = history(browserToken(driver), 1).get(0).path("job_id").asText();
        open();
        waitFor("the failed job in history",
                By.cssSelector("#history button[data-job-id='" + jobId + "'][data-status='FAILED']")).click();
        waitUntil("the failure reason", () -> driver.findElement(By.id("failure")).getText().equals(reason));
    }

    @Test
    void pollsWhenTheWebSocketCannotConnect() throws Exception {
        // Every socket the page opens points at a path with no WebSocket endpoint, so its handshake fails.
        Map<String, Object> script = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.WebSocket = class extends WebSocket { constructor(url) { super(url.replace('/ws/', '/no-ws/')); } };"));
        try {
            open();
            driver.findElement(By.id("files")).sendKeys(photo("tree.png", Photos.png(100, 100, Color.GREEN)).toString());
            waitUntil("one thumbnail", () -> thumbnails().size() == 1);
            driver.findElement(By.id("submit")).click();
            waitUntil("the job to complete by polling", () -> "done".equals(stepState("END")));
            WebElement panel = driver.findElement(By.id("panel-image"));
            waitUntil("the panel image to load", () -> imageLoaded(panel));
        } finally {
            driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", script.get("identifier")));
        }
    }

    @Test
    void stacksThePanelAndStoryOnAPhone() throws Exception {
        open();
        HttpResponse<String> accepted = harness.post(app, Photos.twoPhotos(),
                "Authorization", "Bearer " + browserToken(driver));
        String jobId = PanelHarness.json(accepted.body()).path("job_id").asText();
        harness.awaitStatus(app, jobId, "COMPLETED", DEADLINE);

        driver.manage().window().setSize(new Dimension(390, 844));
        open();
        waitFor("the job in history", By.cssSelector("#history button[data-job-id='" + jobId + "']")).click();
        WebElement panel = driver.findElement(By.id("panel-image"));
        waitUntil("the panel image to load", () -> imageLoaded(panel));

        WebElement storyBox = driver.findElement(By.cssSelector(".story-box"));
        assertThat(storyBox.getRect().getY()).as("the story sits below the panel")
                .isGreaterThanOrEqualTo(panel.getRect().getY() + panel.getRect().getHeight());
        assertThat((Boolean) driver.executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth")).as("no horizontal scroll").isTrue();
    }

    @Test
    void anotherBrowserProfileDoesNotSeeThisOnesHistory() throws Exception {
        open();
        driver.findElement(By.id("files")).sendKeys(photo("mine.png", Photos.png(120, 80, Color.MAGENTA)).toString());
        waitUntil("one thumbnail", () -> thumbnails().size() == 1);
        driver.findElement(By.id("submit")).click();
        waitUntil("the job to complete", () -> "done".equals(stepState("END")));
        String mine = history(browserToken(driver), 1).get(0).path("job_id").asText();
        waitFor("the job in this browser's history", By.cssSelector("#history button[data-job-id='" + mine + "']"));

        Path otherProfile = Files.createTempDirectory("chromium-other-profile");
        ChromeDriver other = chromium(otherProfile);
        try {
            other.get(baseUrl + "/");
            new WebDriverWait(other, DEADLINE, Duration.ofMillis(50)).withMessage("waiting for the other history")
                    .until(d -> d.findElement(By.id("history-message")).getText().equals("No panels yet."));
            assertThat(other.findElements(By.cssSelector("#history button"))).isEmpty();
            String otherToken = browserToken(other);
            assertThat(otherToken).matches("[A-Za-z0-9_-]{32}").isNotEqualTo(browserToken(driver));

            // The same browser keeps its token across a reload, and with it its history.
            String before = browserToken(driver);
            open();
            assertThat(browserToken(driver)).isEqualTo(before);
            waitFor("the job still in this browser's history", By.cssSelector("#history button[data-job-id='" + mine + "']"));
        } finally {
            other.quit();
            FileSystemUtils.deleteRecursively(otherProfile.toFile());
        }
    }

    @Test
    void inKeyModeThePageAsksForTheKeyOnceAndKeepsIt() throws Exception {
        String key = "web-team-key-0123456789";
        ConfigurableApplicationContext keyed = harness.start(Map.of("panel.access.api-keys", key), "api");
        try {
            // Another origin (port), so another localStorage: this page starts with its own random token.
            driver.get(PanelHarness.baseUrl(keyed) + "/");
            waitUntil("the history to say a key is needed",
                    () -> driver.findElement(By.id("history-message")).getText().contains("API key"));
            driver.findElement(By.id("files")).sendKeys(photo("keyed.png", Photos.png(90, 90, Color.CYAN)).toString());
            waitUntil("one thumbnail", () -> driver.findElements(By.cssSelector("#thumbs li")).size() == 1);
            driver.findElement(By.id("submit")).click();

            var prompt = new WebDriverWait(driver, DEADLINE).until(d -> {
                try {
                    return d.switchTo().alert();
                } catch (org.openqa.selenium.NoAlertPresentException e) {
                    return null;
                }
            });
            assertThat(prompt.getText()).contains("API key");
            prompt.sendKeys(key);
            prompt.accept();

            waitUntil("the job to complete", () -> "done".equals(stepState("END")));
            assertThat(browserToken(driver)).isEqualTo(key);
            String jobId = PanelHarness.json(harness.http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(PanelHarness.baseUrl(keyed) + "/jobs?limit=1"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .get(0).path("job_id").asText();
            waitFor("the job in the key's history", By.cssSelector("#history button[data-job-id='" + jobId + "']"));
        } finally {
            harness.stop(keyed);
        }
    }

    private static String browserToken(ChromeDriver browser) {
        return (String) browser.executeScript("return localStorage.getItem('panel-one-token')");
    }

    /** GET /jobs as the browser with this token. */
    private static JsonNode history(String token, int limit) throws Exception {
        HttpResponse<String> response = harness.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl + "/jobs?limit=" + limit))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PanelHarness.json(response.body());
    }

    private void open() {
        driver.get(baseUrl + "/");
        waitFor("the page's timeline", By.cssSelector("#timeline li[data-stage='END']"));
    }

    private static Path photo(String name, byte[] bytes) throws IOException {
        return Files.write(photos.resolve(name), bytes);
    }

    private static List<WebElement> thumbnails() {
        return driver.findElements(By.cssSelector("#thumbs li img"));
    }

    private static String stepState(String stage) {
        return driver.findElement(By.cssSelector("#timeline li[data-stage='" + stage + "']")).getDomAttribute("data-state");
    }

    private static boolean imageLoaded(WebElement image) {
        Object width = ((JavascriptExecutor) driver).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0", image);
        return ((Number) width).longValue() > 0;
    }

    private static String squash(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static void waitUntil(String what, BooleanSupplier condition) {
        new WebDriverWait(driver, DEADLINE, Duration.ofMillis(50))
                .withMessage("waiting for " + what)
                .until(d -> condition.getAsBoolean());
    }

    private static WebElement waitFor(String what, By locator) {
        return new WebDriverWait(driver, DEADLINE, Duration.ofMillis(50))
                .withMessage("waiting for " + what)
                .until(d -> d.findElements(locator).stream().findFirst().orElse(null));
    }
}
