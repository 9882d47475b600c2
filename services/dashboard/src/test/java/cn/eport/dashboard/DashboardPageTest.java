package cn.eport.dashboard;

import static cn.eport.dashboard.TestEvents.cards;
import static cn.eport.dashboard.TestEvents.submitted;
import static cn.eport.dashboard.TestEvents.verdict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.eport.contracts.Agency;
import cn.eport.contracts.CardsSuspended;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.KafkaProbe;
import cn.eport.testsupport.RealInfrastructure;
import cn.eport.testsupport.TestInfrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page as an operator sees it, in a real browser: Debian's headless Chromium driven through its
 * own chromedriver, both from the system's packages (.ci/run installs them). Nothing is downloaded:
 * the driver and the browser are named explicitly, so Selenium Manager never runs. Without
 * {@code /usr/bin/chromium} the test is skipped, saying so.
 */
@SpringBootTest(classes = DashboardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=dashboard", "eport.dashboard.sla-refresh=500ms"})
@ContextConfiguration(initializers = RealInfrastructure.class)
class DashboardPageTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static WebDriver browser;
    private static KafkaProbe probe;

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    @BeforeAll
    static void openTheBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed at " + CHROMIUM
                + " (apt-get install chromium chromium-driver); the browser test never downloads a browser, so it is skipped");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "Debian's chromium-driver is not installed at " + CHROMEDRIVER
                + " (apt-get install chromium-driver); the browser test never downloads a driver, so it is skipped");
        // Named explicitly, so Selenium Manager (which would download a driver and a browser) never runs.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--window-size=1400,1200", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        probe = new KafkaProbe(TestInfrastructure.endpoints().kafkaAdmin(), List.of(Topics.CARDS));
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (probe != null) {
            probe.close();
        }
    }

    @BeforeEach
    void forgetAnyToken() {
        // The token lives in the tab's session storage: start every test signed out.
        browser.get(base() + "/dashboard.css");
        ((JavascriptExecutor) browser).executeScript("window.sessionStorage.clear()");
        browser.get("about:blank");
    }

    @Test
    void theFunnelTheAgencyRowsAndATimelineUpdateLiveAsEventsArrive() throws IOException {
        open("/#token=" + DevTokens.ops("ops-page-test"));
        awaitText("[data-test=connection]", "live");
        assertThat(browser.getCurrentUrl()).as("the token leaves the address bar").doesNotContain("token=");
        long submitted = number("[data-test=funnel-submitted]");
        long qualityApproved = number("tr[data-agency=QUALITY] [data-field=approved]");
        long customsQueue = number("tr[data-agency=CUSTOMS] [data-field=review-queue]");

        TestEvents events = new TestEvents(json);
        UUID application = UUID.randomUUID();
        String slip = TestEvents.newSlipNumber();
        Instant now = Instant.now();
        events.publish(probe, submitted(application, 1, slip, now.minusSeconds(30)));
        events.publish(probe, verdict(application, 1, Agency.QUALITY, Outcome.APPROVED, now.minusSeconds(20)));
        events.publish(probe, verdict(application, 1, Agency.CUSTOMS, Outcome.REFERRED, now.minusSeconds(10),
                new Reason("CUSTOMS_BROKER_MISMATCH", "报关员 " + TestEvents.WHOLE_ID_NUMBER + " 与登记不符",
                        "customs broker " + TestEvents.WHOLE_ID_NUMBER + " does not match the register")));

        // No reload: the numbers change because the stream pushed them.
        awaitNumber("[data-test=funnel-submitted]", submitted + 1);
        awaitNumber("tr[data-agency=QUALITY] [data-field=approved]", qualityApproved + 1);
        awaitNumber("tr[data-agency=CUSTOMS] [data-field=review-queue]", customsQueue + 1);
        assertThat(text("tr[data-agency=QUALITY] th")).contains("质量技术监督局");
        assertThat(text("tr[data-agency=CUSTOMS] [data-field=throughput]")).matches("[0-9]+\\.[0-9]");

        browser.findElement(By.id("search")).sendKeys(slip);
        browser.findElement(By.cssSelector("#search-form button")).click();
        wait(PATIENCE).until(b -> b.findElements(By.cssSelector("#timeline-events tbody tr")).size() == 3);
        assertThat(text("[data-test=timeline-slip]")).isEqualTo(slip);
        assertThat(text("[data-test=timeline-application]")).isEqualTo(application.toString());
        assertThat(text("[data-test=timeline-enterprise]")).isEqualTo("榕城进出口贸易有限公司");
        List<WebElement> rows = browser.findElements(By.cssSelector("#timeline-events tbody tr"));
        assertThat(cell(rows.get(0), "event")).isEqualTo("Application submitted");
        assertThat(cell(rows.get(0), "actor")).isEqualTo("enterprise-dashboard");
        assertThat(cell(rows.get(1), "agency")).isEqualTo("质量技术监督局");
        assertThat(cell(rows.get(1), "outcome")).isEqualTo("APPROVED");
        assertThat(cell(rows.get(2), "agency")).isEqualTo("海关");
        assertThat(cell(rows.get(2), "outcome")).isEqualTo("REFERRED");
        assertThat(cell(rows.get(2), "reasons")).contains("CUSTOMS_BROKER_MISMATCH", "报关员 " + TestEvents.MASKED_ID_NUMBER + " 与登记不符");

        assertThat(browser.getPageSource()).contains(TestEvents.MASKED_ID_NUMBER).doesNotContainPattern("[0-9]{17}[0-9Xx]");
        // One scale for the whole funnel: every bar's track starts and ends where the others' do.
        @SuppressWarnings("unchecked")
        List<Number> tracks = (List<Number>) ((JavascriptExecutor) browser).executeScript("""
                const submitted = document.querySelector('[data-fill=submitted]').parentElement.getBoundingClientRect();
                const agency = document.querySelector('#funnel-agencies .bar').getBoundingClientRect();
                return [submitted.left, submitted.width, agency.left, agency.width];""");
        assertThat(tracks.get(2).doubleValue()).isCloseTo(tracks.get(0).doubleValue(), org.assertj.core.data.Offset.offset(0.5));
        assertThat(tracks.get(3).doubleValue()).isCloseTo(tracks.get(1).doubleValue(), org.assertj.core.data.Offset.offset(0.5));
        assertThat(browser.findElements(By.cssSelector("#clocks tbody tr"))).hasSize(Agency.values().length);
        assertThat(text("#clocks tr[data-agency=CUSTOMS] [data-field=limit]")).isEqualTo("3 working days");
        assertThat(browser.findElements(By.cssSelector("#sla tbody tr"))).hasSize(Agency.values().length);
        // For a person to look at (target/dashboard-page.png): the whole page at once.
        browser.manage().window().setSize(new Dimension(1400, 2400));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        Files.write(Path.of("target", "dashboard-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theLastHourChartDrawsOnePathPerSeriesAndShowsEachSeriesTotalInTheLegendAndItsLabel() throws IOException {
        open("/#token=" + DevTokens.ops("ops-page-test"));
        awaitText("[data-test=connection]", "live");
        long submitted = number(legendTotal("submitted"));
        long cardSets = number(legendTotal("card-sets"));
        Map<Agency, Long> verdicts = new EnumMap<>(Agency.class);
        for (Agency agency : Agency.values()) {
            verdicts.put(agency, number(legendTotal("verdicts-" + agency)));
        }

        // An hour of work, for the picture too: one to three applications every three minutes, each decided by
        // the six within the next two minutes (customs last, and not yet for the latest), most issued their cards.
        TestEvents events = new TestEvents(json);
        Instant now = Instant.now();
        int applications = 0;
        Map<Agency, Integer> decided = new EnumMap<>(Agency.class);
        int issued = 0;
        for (int slot = 0; slot < 20; slot++) {
            for (int i = 0; i <= slot % 3; i++) {
                UUID application = UUID.randomUUID();
                String slip = TestEvents.newSlipNumber();
                Instant at = now.minus(Duration.ofMinutes(58 - 3L * slot)).plusSeconds(5L * i);
                events.publish(probe, submitted(application, 1, slip, at));
                applications++;
                for (Agency agency : Agency.values()) {
                    Instant decidedAt = at.plusSeconds(30L + 15L * agency.ordinal() + 10L * i);
                    if (decidedAt.isBefore(now)) {
                        events.publish(probe, verdict(application, 1, agency, Outcome.APPROVED, decidedAt));
                        decided.merge(agency, 1, Integer::sum);
                    }
                }
                if (slot % 4 != 3 && at.plusSeconds(240).isBefore(now)) {
                    events.publish(probe, cards(application, 1, slip, at.plusSeconds(240)));
                    issued++;
                }
            }
        }

        awaitNumber(legendTotal("submitted"), submitted + applications);
        for (Agency agency : Agency.values()) {
            awaitNumber(legendTotal("verdicts-" + agency), verdicts.get(agency) + decided.get(agency));
        }
        awaitNumber(legendTotal("card-sets"), cardSets + issued);
        @SuppressWarnings("unchecked")
        Map<String, Object> chart = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const svg = document.querySelector('#activity svg');
                const series = {};
                svg.querySelectorAll('path[data-series]').forEach((path) => {
                  series[path.dataset.series] = (series[path.dataset.series] || 0) + 1;
                });
                return { role: svg.getAttribute('role'), label: svg.getAttribute('aria-label'), series,
                         taxBars: svg.querySelector('path[data-series="verdicts-TAX"]').getAttribute('d'),
                         width: svg.getBoundingClientRect().width,
                         room: svg.parentElement.getBoundingClientRect().width };""");

        assertThat(chart.get("role")).isEqualTo("img");
        assertThat((String) chart.get("label")).startsWith("Last hour, per minute, ")
                .contains((submitted + applications) + " submitted", (cardSets + issued) + " card sets issued",
                        "国家税务局 " + (verdicts.get(Agency.TAX) + decided.get(Agency.TAX)),
                        "海关 " + (verdicts.get(Agency.CUSTOMS) + decided.get(Agency.CUSTOMS)));
        // One path for each series, whatever it counted: the applications' three steps, and the six agencies' bars.
        assertThat(chart.get("series")).isEqualTo(Map.of("submitted", 1L, "amended", 1L, "card-sets", 1L, "verdicts-QUALITY", 1L,
                "verdicts-COMMERCE", 1L, "verdicts-TAX", 1L, "verdicts-TRADE", 1L, "verdicts-FOREX", 1L, "verdicts-CUSTOMS", 1L));
        assertThat((String) chart.get("taxBars")).isNotBlank();
        assertThat(((Number) chart.get("width")).doubleValue()).isPositive()
                .isLessThanOrEqualTo(((Number) chart.get("room")).doubleValue());
        assertThat(text("#activity-agencies")).contains("质量技术监督局", "工商行政管理局", "国家税务局", "外经贸委", "国家外汇管理局", "海关");
        assertThat(text("#activity-title")).isEqualTo("Last hour, per minute 近一小时（每分钟）");
        // For a person to look at: the chart as drawn.
        Files.write(Path.of("target", "dashboard-chart.png"),
                browser.findElement(By.cssSelector("section[aria-labelledby=activity-title]")).getScreenshotAs(OutputType.BYTES));
    }

    private static String legendTotal(String series) {
        return "li[data-series=" + series + "] [data-field=total]";
    }

    @Test
    void aCardSetSuspendedByAnAgencyMovesBetweenTheStatesAndItsReasonIsCounted() {
        open("/#token=" + DevTokens.ops("ops-page-test"));
        awaitText("[data-test=connection]", "live");
        String active = "#card-states tr[data-card-state=ACTIVE] [data-field=count]";
        String suspended = "#card-states tr[data-card-state=SUSPENDED] [data-field=count]";
        String reason = "#suspensions tr[data-suspension-reason=TRADE_CERTIFICATE_REVOKED] [data-field=count]";
        long activeBefore = number(active);
        long suspendedBefore = number(suspended);
        long reasonBefore = browser.findElements(By.cssSelector(reason)).isEmpty() ? 0 : number(reason);

        TestEvents events = new TestEvents(json);
        UUID application = UUID.randomUUID();
        Instant now = Instant.now();
        events.publish(probe, cards(application, 1, TestEvents.newSlipNumber(), now.minusSeconds(20)));
        awaitNumber(active, activeBefore + 1);
        events.publish(probe, new CardsSuspended(application, List.of("LP00000000001"),
                new Reason("TRADE_CERTIFICATE_REVOKED", "对外贸易经营者备案登记表已被撤销", "the trade certificate was revoked"),
                Agency.TRADE, "agency:trade", now.minusSeconds(10)));

        awaitNumber(suspended, suspendedBefore + 1);
        awaitNumber(active, activeBefore);
        awaitNumber(reason, reasonBefore + 1);
        assertThat(text("#card-states tr[data-card-state=SUSPENDED] th")).contains("暂停");
        assertThat(browser.findElement(By.id("no-suspensions")).isDisplayed()).isFalse();
    }

    @Test
    void withoutAnOpsTokenThePageShowsNoDataAndSaysWhy() {
        open("/#token=" + DevTokens.applicant("enterprise-0001"));
        awaitText("#login-error", "That token does not carry the OPS role.");
        assertThat(browser.findElement(By.id("board")).isDisplayed()).isFalse();

        browser.findElement(By.id("token")).sendKeys("not a token");
        browser.findElement(By.cssSelector("#login-form button")).click();
        awaitText("#login-error", "That token was not accepted (expired, or not signed by the identity provider).");

        browser.findElement(By.id("token")).sendKeys(DevTokens.ops("ops-page-test"));
        browser.findElement(By.cssSelector("#login-form button")).click();
        awaitText("[data-test=connection]", "live");
        assertThat(browser.findElement(By.id("board")).isDisplayed()).isTrue();
        assertThat(browser.findElements(By.cssSelector("#agencies tbody tr"))).hasSize(Agency.values().length);
        assertThat(browser.findElements(By.cssSelector("#lag tbody tr[data-lag-group=dashboard]"))).hasSize(1);
    }

    private void open(String path) {
        browser.get(base() + path);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static WebDriverWait wait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** The element's text; the page re-renders every push, so an element found may be gone a moment later: look again. */
    private static String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(By.cssSelector(css)).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static long number(String css) {
        wait(PATIENCE).until(b -> text(css).matches("[0-9,]+"));
        return Long.parseLong(text(css).replace(",", ""));
    }

    private static void awaitNumber(String css, long expected) {
        wait(PATIENCE).withMessage(() -> css + " never showed " + expected + " (it shows " + text(css) + ")")
                .until(b -> text(css).replace(",", "").equals(Long.toString(expected)));
    }

    private static void awaitText(String css, String expected) {
        wait(PATIENCE).withMessage(() -> css + " never read '" + expected + "'")
                .until(b -> !b.findElements(By.cssSelector(css)).isEmpty() && text(css).equals(expected));
    }

    private static String cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("[data-field=" + field + "]")).getText();
    }
}
