//! The shipped content/: it passes `bulletin check`, builds, and every page it gives is valid HTML.

use crate::support::SiteTest;

#[test]
fn shipped_content_checks_builds_and_validates() {
    let site = SiteTest::shipped();
    site.run(&["check"]).ok();
    site.build().ok();
    // One page of each bulletin, to be sure they all made it through.
    for page in [
        "issues/xinxi-zhaibian/2024-07/index.html",
        "issues/jinrong-zhiyin/2024-05/index.html",
        "issues/chanye-baodao/2024-12/index.html",
        "issues/chanye-baodao/2025-05/index.html",
    ] {
        assert!(site.out().join(page).is_file(), "missing {page}");
    }
    crate::site::assert_valid_html(&site.out());
}
