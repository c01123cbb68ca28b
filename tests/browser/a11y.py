"""axe-core in the page (axe-playwright-python): fail on serious or critical
violations, listing each rule with the elements it found."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("serious", "critical")
_axe = Axe()


def violations(page) -> list[dict]:
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def assert_accessible(page, label: str = "") -> None:
    found = violations(page)
    if found:
        lines = [f"{label or page.url}: {len(found)} serious/critical axe violation(s)"]
        for violation in found:
            targets = ", ".join(
                " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                for node in violation["nodes"][:5]
            )
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} -> {targets}")
        raise AssertionError("\n".join(lines))
