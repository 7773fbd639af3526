"""Shared by the browser test and the screenshot command: start `vane serve` on loopback, drive
Debian's chromium headless through selenium, read the browser console."""
import os
import shutil
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def missing_tools():
    """What is absent for a browser run (empty when everything is there)."""
    missing = []
    if not shutil.which("chromium"):
        missing.append("chromium (apt-get install chromium)")
    if not shutil.which("chromedriver"):
        missing.append("chromedriver (apt-get install chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    return missing


def vane_binary():
    """$VANE if set, else the newest built `vane`."""
    if os.environ.get("VANE"):
        return os.environ["VANE"]
    candidates = [os.path.join(ROOT, ".build", kind, "vane") for kind in ("release", "debug")]
    built = [path for path in candidates if os.path.exists(path)]
    if not built:
        raise SystemExit("no vane binary: run `swift build` first (or set VANE)")
    return max(built, key=os.path.getmtime)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`vane serve ARGUMENTS` on 127.0.0.1 until the block ends."""

    def __init__(self, arguments):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([vane_binary(), "serve", *arguments, "--host", "127.0.0.1", "--port", str(self.port),
                                         "--log-level", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("vane serve exited: " + self.process.stderr.read().decode(errors="replace"))
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("vane serve did not answer within 60 s")

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait(timeout=30)


def chromium(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
