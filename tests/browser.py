"""One headless Chromium for the report's browser tests, driven by Selenium through Debian's chromedriver.

Every page opens in the same browser at an exact viewport width (CDP ``Emulation.setDeviceMetricsOverride``);
once its load event has fired (its scripts ran, its images loaded or failed) :data:`CHECK` reports what
the browser sees. Selenium Manager is never asked for a driver: the driver's path is given.
"""

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = None if CHROMIUM and CHROMEDRIVER else (
    f"{'Chromium' if not CHROMIUM else 'chromedriver'} is not installed, so the report cannot be opened in a real "
    "browser; install Debian's chromium and chromium-driver with `make browser` (as root)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")
HEIGHT = 900

# Evaluated in the loaded page: its images and whether each loaded; the ledger's row ids before and after
# a click on the verdict column's sort button; the viewport width; every table or code block (with all
# <details> open) wider than its container, and the page wider than the window.
CHECK = """
var out = {images: [], rows: [], sorted: [], width: window.innerWidth, overflow: []};
document.querySelectorAll("img").forEach(function (img) {
  out.images.push({src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0});
});
var table = document.getElementById("ledger");
if (table) {
  var ids = function () { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.id; }); };
  out.rows = ids();
  table.tHead.rows[0].cells[4].querySelector("button").click();
  out.sorted = ids();
  out.aria = table.tHead.rows[0].cells[4].getAttribute("aria-sort");
}
document.querySelectorAll("details").forEach(function (d) { d.open = true; });
var name = function (el) { return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : ""); };
document.querySelectorAll("table, pre, div.highlight").forEach(function (el) {
  var box = el.parentElement;
  if (el.scrollWidth > el.clientWidth + 1) {
    out.overflow.push(name(el) + ": content " + el.scrollWidth + " px in " + el.clientWidth + " px");
  }
  if (el.getBoundingClientRect().right > box.getBoundingClientRect().right + 1) {
    out.overflow.push(name(el) + ": ends at " + el.getBoundingClientRect().right + " px, its container " + name(box) + " at " + box.getBoundingClientRect().right);
  }
});
var page = document.documentElement;
if (page.scrollWidth > page.clientWidth + 1) { out.overflow.push("page: " + page.scrollWidth + " px in " + page.clientWidth + " px"); }
return out;
"""


class Browser:
    """A headless Chromium that opens local pages one after another; close it with :meth:`close`."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        if MISSING:
            raise RuntimeError(MISSING)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(120)

    def close(self) -> None:
        self.driver.quit()

    def _load(self, page: Path, width: int, height: int) -> None:
        assert page.is_file(), f"no page {page}"
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.driver.get(page.as_uri())  # returns after the load event

    def open(self, page: Path, width: int = 1280) -> dict:
        """What the browser sees on ``page`` opened at ``width`` px (see :data:`CHECK`)."""
        self._load(page, width, HEIGHT)
        seen = self.driver.execute_script(CHECK)
        assert seen["width"] == width, f"Chromium opened {page.name} at {seen['width']} px, not {width} px"
        return seen

    def screenshot(self, page: Path, dest: Path, width: int = 1280, height: int = 1600) -> int:
        """Save the top ``width`` x ``height`` px of ``page`` as PNG in ``dest``; returns its size in bytes."""
        self._load(page, width, height)
        dest.write_bytes(self.driver.get_screenshot_as_png())
        return dest.stat().st_size
