#!/usr/bin/env python3
"""A screenshot of the browser page of `vane serve` on the Amazon co-purchase graph, for docs/.

Serves what `make demo` wrote (out/demo: the related-items model of the Amazon graph with its index,
the conversion model and the decision policy) with the products' titles, opens the page in headless
chromium, searches for --query like a user, opens the first suggestion with Enter and saves the
window to --out. Run `make demo` first; `make screenshot` does both.
Run: python3 Tests/Browser/screenshot.py [--demo out/demo] [--query "harry potter"] [--out docs/page.png]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", default=os.path.join(browser.ROOT, "out", "demo"))
    parser.add_argument("--nodes", default=os.path.join(browser.ROOT, "..", "shared", "data", "amazon-meta-similar-50k.nodes.tsv.gz"))
    parser.add_argument("--query", default="harry potter")
    parser.add_argument("--out", default=os.path.join(browser.ROOT, "docs", "page.png"))
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    missing = browser.missing_tools()
    if missing:
        sys.exit("cannot take the screenshot: missing " + ", ".join(missing))
    if not os.path.exists(os.path.join(args.demo, "policy.json")):
        sys.exit(f"{args.demo} has no demo output: run `make demo` first")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    arguments = ["--related", os.path.join(args.demo, "related-model"), "--conversions", os.path.join(args.demo, "conversion-model"),
                 "--policy", os.path.join(args.demo, "policy.json")]
    if os.path.exists(args.nodes):
        arguments += ["--nodes", args.nodes]
    with browser.Server(arguments) as server:
        driver = browser.chromium(width=args.width, height=1000)
        try:
            driver.get(server.base + "/")
            WebDriverWait(driver, 30).until(lambda d: "items" in d.find_element(By.ID, "models").text)
            search = driver.find_element(By.ID, "search")
            search.send_keys(args.query)
            WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#suggestions li"))
            item = driver.find_element(By.CSS_SELECTOR, "#suggestions li").get_attribute("data-item")
            search.send_keys(Keys.ENTER)
            WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "item-name").text == item
                                            and d.find_elements(By.CSS_SELECTOR, "#related tbody tr[data-item]"))
            WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#chart circle")
                                            or not d.find_element(By.ID, "decisions").is_displayed())
            # Grow the window until the whole page fits its viewport (the browser's own frame takes some height).
            for _ in range(5):
                content, viewport = driver.execute_script("return [document.documentElement.scrollHeight, window.innerHeight]")
                if viewport >= content or content > 4000:
                    break
                size = driver.get_window_size()
                driver.set_window_size(args.width, size["height"] + content - viewport + 20)
            errors = browser.console_errors(driver)
            if errors:
                sys.exit(f"console errors on the page: {errors}")
            os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
            driver.save_screenshot(args.out)
        finally:
            driver.quit()
    print(f"wrote {args.out} (item {item}, query \"{args.query}\")")


if __name__ == "__main__":
    main()
