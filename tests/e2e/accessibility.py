"""axe's accessibility checks, run on a page once what moves on it has come to rest."""

from axe_playwright_python.sync_playwright import Axe

# True once no CSS transition or animation with an end is running. axe reads colours as they are
# drawn: a button fading out of its hover state (the pointer left it) is paler for 150 ms than it
# stays, which failed a contrast check now and then. Polled on each frame: the animations'
# `finished` promises were seen never to settle in headless Chromium.
_AT_REST = """() => document.getAnimations().every(
    animation => animation.playState !== "running"
        || animation.effect?.getComputedTiming().endTime === Infinity
)"""


def axe_results(page):
    page.wait_for_function(_AT_REST)
    return Axe().run(page)


def assert_accessible(page):
    results = axe_results(page)
    assert results.violations_count == 0, results.generate_report()


def serious_violations(page):
    """The violations of serious or critical impact, each as its rule, help and elements."""
    return [
        f"{v['id']}: {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in axe_results(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
