#!/usr/bin/env python3
"""The browser page of `vane serve`, in a real browser: Debian's chromium, headless, through selenium.

A small phone/case catalogue with titles is trained (method p3, with its top-targets index) and
served on loopback. The test loads the page, searches by title, opens an item with the keyboard, and
checks that the related list and the reverse list ("recommended by") show exactly what the public
API answers, with titles; follows a link to a case and checks its recommenders are phones; and that
the console stays free of errors. With --demo DIR (a `vane demo` output directory) it also opens an
item with the conversion model and policy loaded and checks each suggestion's decision is shown and
placed on the policy's chart.

Skips, with the reason, when chromium, chromedriver or selenium is absent. Exit status 1 on failure.
Run: python3 Tests/Browser/page_test.py [--demo out/demo]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser  # noqa: E402


def api(server, path):
    with urllib.request.urlopen(server.base + path, timeout=10) as response:
        return json.load(response)


def catalogue(directory):
    """Phone i links to cases i, i+1, i+2 (mod 6); cases link nowhere. P3 scores the cases a phone's
    walks reach above everything else (which ties at 0), so a phone recommends cases first. Titles for every item."""
    edges = [f"phone-{i}\tcase-{(i + offset) % 6}" for i in range(6) for offset in range(3)]
    with open(os.path.join(directory, "edges.tsv"), "w") as handle:
        handle.write("\n".join(edges) + "\n")
    with open(os.path.join(directory, "nodes.tsv"), "w") as handle:
        handle.write("# id\ttitle\tgroup\n" + "".join(f"phone-{i}\tPhone model {i}\tPhones\ncase-{i}\tCase for phone {i}\tCases\n"
                                                   for i in range(6)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", help="a `vane demo` output directory, to check decisions too")
    args = parser.parse_args()
    missing = browser.missing_tools()
    if missing:
        print("SKIPPED browser test of the page: missing " + ", ".join(missing))
        return 0
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)
            print("FAIL: " + message)

    def rows(driver, table):
        return [row.get_attribute("data-item") for row in driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr[data-item]")]

    def wait_for_item(driver, name):
        WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "item-name").text == name
                                        and d.find_elements(By.CSS_SELECTOR, "#related tbody tr"))

    with tempfile.TemporaryDirectory() as directory:
        catalogue(directory)
        model = os.path.join(directory, "model")
        subprocess.run([browser.vane_binary(), "graph", "train", "--edges", os.path.join(directory, "edges.tsv"), "--out", model,
                        "--method", "p3", "--seed", "1"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with browser.Server(["--related", model, "--nodes", os.path.join(directory, "nodes.tsv")]) as server:
            driver = browser.chromium()
            try:
                driver.get(server.base + "/")
                WebDriverWait(driver, 15).until(lambda d: "items" in d.find_element(By.ID, "models").text)
                search = driver.find_element(By.ID, "search")
                check(driver.switch_to.active_element == search, "the search box has the focus on load")
                # Search by title, open the first suggestion with Enter.
                search.send_keys("phone model 3")
                WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#suggestions li"))
                suggestions = [li.get_attribute("data-item") for li in driver.find_elements(By.CSS_SELECTOR, "#suggestions li")]
                check(suggestions[:1] == ["phone-3"], f"title search finds phone-3 first, got {suggestions}")
                search.send_keys(Keys.ENTER)
                wait_for_item(driver, "phone-3")
                expected = [r["item"] for r in api(server, "/v1/related/phone-3?k=10")["results"]]
                shown = rows(driver, "related")
                # The walks reach cases only: they lead; phones follow at score 0.
                check(shown == expected and len(shown) >= 3 and all(name.startswith("case-") for name in shown[:3]),
                      f"phone-3 recommends cases first, as the API says: page {shown}, API {expected}")
                first_row = driver.find_element(By.CSS_SELECTOR, "#related tbody tr").text
                check("Case for phone" in first_row and "group: Cases" in first_row, f"related rows carry titles and groups: {first_row!r}")
                check("group: Phones" in driver.find_element(By.ID, "item-degree").text, "the item's group is shown")
                check(driver.find_element(By.ID, "item-title").text == "Phone model 3", "the item's title is shown")
                reverse = rows(driver, "reverse")
                expected = [r["item"] for r in api(server, "/v1/recommended-by/phone-3")["results"]]
                check(reverse == expected, f"the reverse list is the API's: page {reverse}, API {expected}")
                # Follow the first suggestion: a case, recommended by phones.
                first = shown[0]
                driver.find_element(By.CSS_SELECTOR, "#related tbody tr a").click()
                wait_for_item(driver, first)
                WebDriverWait(driver, 15).until(lambda d: rows(d, "reverse"))
                reverse = rows(driver, "reverse")
                answer = api(server, "/v1/recommended-by/" + urllib.parse.quote(first))["results"]
                expected = [r["item"] for r in answer]
                best = [r["item"] for r in answer if r["rank"] == 1]
                check(reverse == expected and best and all(name.startswith("phone-") for name in best),
                      f"{first} is the first suggestion of phones only, as the API says: page {reverse}, API {answer}")
                check("#item=" + first in driver.current_url, "the item is in the address (links and back work)")
                # Keyboard: arrows move through the suggestions, Enter opens the highlighted one.
                search = driver.find_element(By.ID, "search")
                search.clear()
                search.send_keys("case-")
                WebDriverWait(driver, 15).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#suggestions li")) >= 3)
                listed = [li.get_attribute("data-item") for li in driver.find_elements(By.CSS_SELECTOR, "#suggestions li")]
                search.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ENTER)
                wait_for_item(driver, listed[2])
                driver.back()
                wait_for_item(driver, first)
                errors = browser.console_errors(driver)
                check(not errors, f"no console errors, got {errors}")
            finally:
                driver.quit()

    if args.demo:
        demo = args.demo
        with open(os.path.join(demo, "related-model", "model.json")) as handle:
            item = json.load(handle)["items"][0]
        with browser.Server(["--related", os.path.join(demo, "related-model"), "--conversions", os.path.join(demo, "conversion-model"),
                             "--policy", os.path.join(demo, "policy.json")]) as server:
            driver = browser.chromium()
            try:
                driver.get(server.base + "/#item=" + urllib.parse.quote(item))
                wait_for_item(driver, item)
                WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "decisions").is_displayed())
                related = rows(driver, "related")
                decisions = [row.find_elements(By.TAG_NAME, "td")[-1].text
                             for row in driver.find_elements(By.CSS_SELECTOR, "#related tbody tr[data-item]")]
                check(related and all(text in ("accept", "reject") for text in decisions), f"every suggestion is decided: {decisions}")
                circles = driver.find_elements(By.CSS_SELECTOR, "#chart circle")
                check(len(circles) == len(related), f"one point per suggestion on the policy map: {len(circles)} for {len(related)}")
                errors = browser.console_errors(driver)
                check(not errors, f"no console errors with decisions, got {errors}")
            finally:
                driver.quit()

    if failures:
        print(f"browser test of the page: {len(failures)} failure(s)")
        return 1
    print("browser test of the page: passed" + (" (with decisions)" if args.demo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
