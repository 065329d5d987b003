//! `bulletin serve` over real HTTP: a real server process, raw requests on a TCP socket (so no
//! client tidies the paths up first), file watching with real edits, and a real headless
//! Chromium watching the page update itself.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::support::{bin, repo, require_tools, snapshot_dir, SiteTest};

const ARTICLE: &str = "content/articles/2024-07/2024-07-01-lidian-guifan.md";
const ARTICLE_URL: &str = "/articles/2024-07-01-lidian-guifan/";
const ARTICLE_PAGE: &str = "articles/2024-07-01-lidian-guifan/index.html";
const LIMIT: Duration = Duration::from_secs(20);

/// A running `bulletin serve`, stopped with Ctrl-C (SIGINT) when dropped.
pub(crate) struct Served {
    child: Child,
    pub(crate) addr: String,
    lines: Receiver<String>,
}

impl Served {
    pub(crate) fn start(site: &SiteTest) -> Served {
        let mut child = bin()
            .arg("--root")
            .arg(site.root())
            .args(["serve", "--port", "0", "--verbose"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start bulletin serve");
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut served = Served {
            child,
            addr: String::new(),
            lines,
        };
        let line = served.wait_line(|l| l.starts_with("serving http://"));
        served.addr = line["serving http://".len()..]
            .split('/')
            .next()
            .expect("address")
            .to_string();
        served
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Forgets what the server printed so far.
    fn drain(&self) {
        while self.lines.try_recv().is_ok() {}
    }

    /// The next output line matching `want`, within the time limit.
    #[track_caller]
    fn wait_line(&self, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + LIMIT;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) if want(&l) => return l,
                Ok(l) => seen.push(l),
                Err(_) => break,
            }
        }
        panic!(
            "bulletin serve did not print the expected line; it printed:\n{}",
            seen.join("\n")
        );
    }

    /// Sends `GET target` exactly as given; returns status, headers (lowercase names), body.
    pub(crate) fn get(&self, target: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(LIMIT)).expect("timeout");
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of headers");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .expect("status line");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (status, headers, raw[split + 4..].to_vec())
    }

    pub(crate) fn stop(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill -INT");
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                let rest = self.lines.try_iter().collect();
                return (status, rest);
            }
            assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Polls `check` until it holds or the time limit passes.
#[track_caller]
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + LIMIT;
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("timed out waiting for {what}");
}

fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn refuses_paths_outside_the_site() {
    let site = SiteTest::fixture();
    site.write("secret.txt", "TOP-SECRET");
    site.write("content/secret.txt", "TOP-SECRET");
    let served = Served::start(&site);
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/articles/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/..%c0%afsecret.txt",
        "//../secret.txt",
        "/./../secret.txt",
        "/../content/secret.txt",
    ] {
        let (status, _, body) = served.get(target);
        assert!(status == 403 || status == 404, "{target}: status {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("TOP-SECRET"),
            "{target} leaked a file outside the site"
        );
    }
    let (status, _, _) = served.get("/../secret.txt");
    assert_eq!(status, 403);
}

#[test]
fn serves_content_types_the_404_page_and_injects_only_into_responses() {
    let site = SiteTest::fixture();
    site.write(
        "templates/static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write_bytes("templates/static/dot.png", b"\x89PNG\r\n\x1a\n");
    site.write("templates/static/app.js", "console.log(1);");
    let served = Served::start(&site);
    for (target, ctype) in [
        ("/", "text/html; charset=utf-8"),
        (ARTICLE_URL, "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/dot.png", "image/png"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/__bulletin/live.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, headers, _) = served.get(target);
        assert_eq!(status, 200, "{target}");
        assert_eq!(header(&headers, "content-type"), ctype, "{target}");
    }
    // The base path of site.yaml's base_url also works, for the 404 page's absolute links.
    let (status, _, _) = served.get("/bulletin/style.css");
    assert_eq!(status, 200);

    let (status, headers, body) = served.get("/no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    let not_found = std::fs::read_to_string(site.out().join("404.html")).expect("404.html");
    let body = String::from_utf8(body).expect("utf-8");
    let title = not_found
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .expect("404 title");
    assert!(body.contains(title), "not the site's 404 page");

    let (_, _, page) = served.get(ARTICLE_URL);
    let page = String::from_utf8(page).expect("utf-8");
    assert!(page.contains("<script src=\"/__bulletin/live.js\"></script></body>"));
    let on_disk = site.read(ARTICLE_PAGE);
    assert!(
        !on_disk.contains("__bulletin"),
        "live reload leaked into the built site"
    );

    // Without the slash, relative links would break: redirect.
    let (status, headers, _) = served.get("/articles/2024-07-01-lidian-guifan");
    assert_eq!(status, 301);
    assert_eq!(
        header(&headers, "location"),
        "/articles/2024-07-01-lidian-guifan/"
    );
    // Never to another host: `//articles/` would be the host `articles`.
    let (status, headers, _) = served.get("//articles");
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location"), "/articles/");

    let (status, lines) = served.stop();
    assert!(status.success(), "Ctrl-C: {status:?}");
    assert!(lines.iter().any(|l| l == "stopped"), "{lines:?}");
}

#[test]
fn rebuilds_on_save_keeps_the_last_good_site_on_errors() {
    let site = SiteTest::fixture();
    let served = Served::start(&site);
    edit(&site, ARTICLE, "工业和信息化部印发", "工信部今日印发");
    eventually("the saved text in the page on disk", || {
        site.read(ARTICLE_PAGE).contains("工信部今日印发")
    });

    let good = site.read(ARTICLE_PAGE);
    edit(&site, ARTICLE, "date: 2024-06-24", "date: 2024-06-99");
    let msg = served.wait_line(|l| l.contains("invalid date"));
    assert!(msg.starts_with("error: "), "{msg}");
    served.wait_line(|l| l.contains("2024-07-01-lidian-guifan.md:3:7"));
    let (_, _, poll) = served.get("/__bulletin/poll");
    let poll = String::from_utf8(poll).expect("utf-8");
    assert!(
        poll.contains("invalid date") && poll.contains("lidian-guifan.md"),
        "{poll}"
    );
    assert_eq!(site.read(ARTICLE_PAGE), good, "a bad save changed the site");
    let (status, _, _) = served.get(ARTICLE_URL);
    assert_eq!(status, 200, "the last good site is no longer served");

    edit(&site, ARTICLE, "date: 2024-06-99", "date: 2024-06-25");
    eventually("the fixed date in the page", || {
        site.read(ARTICLE_PAGE).contains("2024-06-25")
    });
    // The page is on disk a moment before the rebuild is announced.
    eventually("the error to clear", || {
        let (_, _, poll) = served.get("/__bulletin/poll");
        String::from_utf8_lossy(&poll).contains("\"error\":null")
    });
}

/// `node_modules/playwright-core` and `/usr/bin/chromium`, or why they are missing.
fn browser_tools() -> Option<()> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing = if !std::path::Path::new(&chromium).is_file() {
        Some("chromium (apt chromium fonts-noto-cjk)")
    } else if !repo().join("node_modules/playwright-core").is_dir() {
        Some("playwright-core (npm ci)")
    } else {
        None
    };
    match missing {
        None => Some(()),
        Some(m) if require_tools() => panic!("{m} missing: run scripts/test.sh"),
        Some(m) => {
            eprintln!("skipping: {m} not installed");
            None
        }
    }
}

struct Browser {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Browser {
    fn open(url: &str, profile: &std::path::Path) -> Browser {
        let mut child = Command::new("node")
            .arg(repo().join("tests/tools/live_reload.cjs"))
            .arg(url)
            .arg(profile)
            .current_dir(repo())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run node");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        let b = Browser {
            child,
            stdin,
            lines,
        };
        assert_eq!(b.answer(), "ready");
        b
    }

    fn answer(&self) -> String {
        // The script's own waits are bounded (20 s); this bound only guards a hung browser.
        self.lines
            .recv_timeout(LIMIT * 2)
            .expect("no answer from the browser script")
    }

    #[track_caller]
    fn ask(&mut self, cmd: &str) -> String {
        writeln!(self.stdin, "{cmd}").expect("send to browser script");
        let a = self.answer();
        assert!(a.starts_with("ok"), "{cmd}: {a}");
        a
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_real_browser_shows_saves_and_errors_without_a_manual_reload() {
    if browser_tools().is_none() {
        return;
    }
    let site = SiteTest::fixture();
    let served = Served::start(&site);
    let profile = tempfile::tempdir().expect("profile dir");
    let mut browser = Browser::open(
        &format!("http://{}{ARTICLE_URL}", served.addr),
        profile.path(),
    );
    browser.ask("text 工业和信息化部印发");

    edit(
        &site,
        ARTICLE,
        "工业和信息化部印发",
        "浏览器里自动出现的新文字",
    );
    browser.ask("text 浏览器里自动出现的新文字");

    // The bad value holds markup: the overlay must show it as text.
    edit(
        &site,
        ARTICLE,
        "date: 2024-06-24",
        "date: <img src=x onerror=alert(1)>",
    );
    let a = browser.ask("overlay 2024-07-01-lidian-guifan.md");
    assert!(a.contains("\"elements\":2"), "error text became HTML: {a}");
    assert!(a.contains("<img src=x"), "{a}");
    assert!(a.contains("\"visible\":true"), "{a}");

    edit(
        &site,
        ARTICLE,
        "date: <img src=x onerror=alert(1)>",
        "date: 2024-06-24",
    );
    edit(&site, ARTICLE, "浏览器里自动出现的新文字", "修好之后的文字");
    browser.ask("clear 修好之后的文字");
    drop(browser);
    drop(served);
}

const POLICY: &str = "content/policies/2024-07/2024-05-shanghai-jinrong.md";

/// Appends `text` to the file as many editors save: a hidden temporary file beside it, renamed
/// over it (the watcher sees both names; the loader and the fast path ignore hidden files).
fn append(site: &SiteTest, rel: &str, text: &str) {
    let path = site.root().join(rel);
    let mut old = std::fs::read_to_string(&path).expect("read");
    old.push_str(text);
    let tmp = path.with_file_name(".bulletin-test-save.tmp");
    std::fs::write(&tmp, old).expect("write");
    std::fs::rename(&tmp, &path).expect("rename");
}

/// Builds `site` cleanly into a folder beside it and asserts that the folder `serve` keeps up
/// to date is the same, byte for byte.
#[track_caller]
fn assert_serves_clean(site: &SiteTest, what: &str) {
    let clean = site.root().join("clean");
    let _ = std::fs::remove_dir_all(&clean);
    site.run(&["build", "--clean", "--out", clean.to_str().expect("utf-8")])
        .ok();
    let served = snapshot_dir(&site.out());
    let full = snapshot_dir(&clean);
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>(),
        "after {what}: the files differ"
    );
    for (name, bytes) in &served {
        assert!(
            bytes == &full[name],
            "after {what}: {name} differs from a clean build"
        );
    }
}

/// The next rebuild's report line.
#[track_caller]
fn rebuilt(served: &Served) -> String {
    served.wait_line(|l| l.starts_with("rebuilt in"))
}

/// The next rebuild's report line, and how many pages and other files it wrote besides the
/// search index (which changes with any item's text; tests/it/search.rs checks it).
fn rebuilt_pages(served: &Served) -> (String, usize) {
    let pages = std::cell::Cell::new(0);
    let line = served.wait_line(|l| {
        if let Some(p) = l.strip_prefix("wrote ") {
            if !bulletin::search::is_index_file(p) {
                pages.set(pages.get() + 1);
            }
        }
        l.starts_with("rebuilt in")
    });
    (line, pages.get())
}

/// Whether a report line is the fast path's.
fn fast(line: &str) -> bool {
    line.contains("(fast path)")
}

#[test]
fn saves_of_item_files_take_the_fast_path_and_every_save_equals_a_clean_build() {
    let site = SiteTest::fixture();
    // A first paragraph longer than a card's excerpt, so that adding to the body leaves the
    // article's card (shown on listings, its issue, tag and policy pages) as it is.
    let long = "锂离子电池行业规范条件明确了企业布局、工艺技术、产品性能、安全管理等方面的要求。";
    let long = long.repeat(4);
    edit(
        &site,
        ARTICLE,
        "工业和信息化部印发",
        &format!("{long}\n\n工业和信息化部印发"),
    );
    let served = Served::start(&site);

    // A body edit past the excerpt shows on the article's page and its issue's print view
    // (which holds every article's full text) only.
    append(&site, ARTICLE, "\n补充说明：第一次修改。\n");
    let (line, pages) = rebuilt_pages(&served);
    assert!(fast(&line) && pages == 2, "{line}: {pages} pages written");
    assert!(site.read(ARTICLE_PAGE).contains("第一次修改"));
    assert_serves_clean(&site, "a body edit");

    // A policy's card shows its summary, never its body.
    append(&site, POLICY, "\n政策正文：第一段。\n");
    let (line, pages) = rebuilt_pages(&served);
    assert!(fast(&line) && pages == 1, "{line}: {pages} pages written");
    assert_serves_clean(&site, "a policy body edit");

    // An editor's swap file alone rebuilds nothing: the next report is the next edit's.
    let swap = site
        .root()
        .join("content/articles/2024-07/.2024-07-01-lidian-guifan.md.swp");
    std::fs::write(&swap, "swap").expect("write swap file");
    std::thread::sleep(Duration::from_millis(300));
    std::fs::remove_file(&swap).expect("remove swap file");
    append(&site, ARTICLE, "\n补充说明：第二次修改。\n");
    let (line, pages) = rebuilt_pages(&served);
    assert!(fast(&line) && pages == 2, "{line}: {pages} pages written");
    assert_serves_clean(&site, "a swap file and a body edit");

    // A new beginning changes the article's excerpt, which other pages show.
    edit(&site, ARTICLE, &long, &"新的开头，改变了摘要。".repeat(15));
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert!(site.read("articles/index.html").contains("新的开头"));
    assert_serves_clean(&site, "an edit of the excerpt");

    // Front matter: what listings, issue, tag, region and policy pages show of an item.
    edit(&site, ARTICLE, "title: 工信部：", "title: 工业和信息化部：");
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert!(site
        .read("issues/xinxi-zhaibian/2024-07/index.html")
        .contains("工业和信息化部："));
    assert_serves_clean(&site, "a title edit");

    // A new tag: a new tag page, and the tags index lists it.
    edit(&site, ARTICLE, "tags: [公式,", "tags: [新能源, 公式,");
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert!(site.read("tags/index.html").contains("新能源"));
    assert_serves_clean(&site, "a new tag");

    // A date that moves the item in every listing it is on, and into another year.
    edit(&site, ARTICLE, "date: 2024-06-24", "date: 2023-01-05");
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert_serves_clean(&site, "a date edit");

    // Out of its issue and section; then a policy reported on (its page lists the article).
    edit(
        &site,
        ARTICLE,
        "issue: xinxi-zhaibian/2024-07\nsection: 行业动向\n",
        "",
    );
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert_serves_clean(&site, "leaving the issue");
    edit(
        &site,
        ARTICLE,
        "tags: [",
        "policies: [2024-05-shanghai-jinrong]\ntags: [",
    );
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert!(site
        .read("policies/2024-05-shanghai-jinrong/index.html")
        .contains("工业和信息化部："));
    assert_serves_clean(&site, "naming a policy");

    // A policy's front matter: the articles reporting it show its card.
    edit(&site, POLICY, "title: 上海市推进", "title: 上海市加快推进");
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert!(site.read(ARTICLE_PAGE).contains("上海市加快推进"));
    assert_serves_clean(&site, "a policy title edit");

    // A new file, then its removal.
    let added = "content/rankings/2024-07/2024-07-xin-bang.yaml";
    let ranking = std::fs::read_dir(site.root().join("content/rankings/2024-07"))
        .expect("rankings")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .expect("a ranking");
    let text = std::fs::read_to_string(&ranking).expect("read ranking");
    site.write(added, &text.replacen("title: ", "title: 新榜单", 1));
    let line = rebuilt(&served);
    assert!(fast(&line), "{line}");
    assert!(site
        .read("rankings/2024-07-xin-bang/index.html")
        .contains("新榜单"));
    assert_serves_clean(&site, "a new file");
    std::fs::remove_file(site.root().join(added)).expect("remove");
    let line = rebuilt(&served);
    // The page goes, and so does the search index's file of the last item number.
    assert!(fast(&line) && line.contains("2 removed"), "{line}");
    assert!(!site
        .out()
        .join("rankings/2024-07-xin-bang/index.html")
        .exists());
    assert_serves_clean(&site, "a removed file");

    // A policy an article names cannot go: the general path reports it, and a fix clears it.
    let policy_text = std::fs::read_to_string(site.root().join(POLICY)).expect("read");
    std::fs::remove_file(site.root().join(POLICY)).expect("remove policy");
    served.wait_line(|l| l.contains("unknown policy"));
    site.write(POLICY, &policy_text);
    let line = rebuilt(&served);
    assert!(!fast(&line), "{line}");
    assert_serves_clean(&site, "restoring the policy");

    // While another file is broken, a save of a good file must not clear its error.
    edit(&site, ARTICLE, "date: 2023-01-05", "date: 2023-01-99");
    served.wait_line(|l| l.contains("invalid date"));
    append(&site, POLICY, "\n政策正文：第二段。\n");
    served.wait_line(|l| l.contains("invalid date"));
    let (_, _, poll) = served.get("/__bulletin/poll");
    assert!(String::from_utf8_lossy(&poll).contains("invalid date"));
    edit(&site, ARTICLE, "date: 2023-01-99", "date: 2023-01-05");
    let line = rebuilt(&served);
    assert!(!fast(&line), "{line}");
    assert_serves_clean(&site, "fixing the date");

    // A renamed file: its old page goes, its new one comes.
    let renamed = "content/articles/2024-07/2024-07-01-lidian-guifan-xin.md";
    std::fs::rename(site.root().join(ARTICLE), site.root().join(renamed)).expect("rename");
    eventually("the renamed article's page", || {
        site.out()
            .join("articles/2024-07-01-lidian-guifan-xin/index.html")
            .exists()
            && !site.out().join(ARTICLE_PAGE).exists()
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_serves_clean(&site, "a rename");
    // The watcher may report the two names in one batch or two.
    served.drain();

    // An issue file is outside the fast path.
    edit(
        &site,
        "content/issues/xinxi-zhaibian/2024-07.yaml",
        "title: 2024年第七期",
        "title: 2024年第七期（修订）",
    );
    let line = rebuilt(&served);
    assert!(!fast(&line), "{line}");
    assert_serves_clean(&site, "an issue edit");

    // And the fast path is taken again after general rebuilds.
    append(&site, renamed, "\n补充说明：改名后。\n");
    let (line, pages) = rebuilt_pages(&served);
    assert!(fast(&line) && pages == 1, "{line}: {pages} pages written");
    assert_serves_clean(&site, "a body edit after a rename");
}
