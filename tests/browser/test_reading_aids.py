"""适老化 reading aids in the header: text size and high contrast, remembered after reload."""
from __future__ import annotations

PAGE = "/policies/gjj-2026-1/"
BODY_TEXT = ".article-body p"


def font_size(page, selector: str) -> float:
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


def background(page, selector: str = "body") -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


def test_bigger_text_enlarges_body_text_and_is_remembered(page):
    page.goto(PAGE)
    before = font_size(page, BODY_TEXT)
    page.click('[data-a11y="bigger"]')
    page.click('[data-a11y="bigger"]')
    bigger = font_size(page, BODY_TEXT)
    assert bigger >= before * 1.25, f"body text {before}px -> {bigger}px after two A+ presses"
    page.reload()
    assert font_size(page, BODY_TEXT) == bigger, "the text size survives a reload"
    page.click('[data-a11y="smaller"]')
    assert before < font_size(page, BODY_TEXT) < bigger
    page.click('[data-a11y="reset"]')
    assert font_size(page, BODY_TEXT) == before


def test_smaller_never_goes_below_the_normal_size(page):
    page.goto(PAGE)
    before = font_size(page, BODY_TEXT)
    page.click('[data-a11y="smaller"]')
    assert font_size(page, BODY_TEXT) == before


def test_high_contrast_toggles_class_pressed_state_and_colours(page):
    page.goto(PAGE)
    button = page.locator('[data-a11y="contrast"]')
    assert button.get_attribute("aria-pressed") == "false"
    normal = background(page)
    button.click()
    assert "high-contrast" in page.eval_on_selector("html", "el => el.className")
    assert button.get_attribute("aria-pressed") == "true"
    assert background(page) != normal
    page.reload()
    assert "high-contrast" in page.eval_on_selector("html", "el => el.className"), "contrast survives a reload"
    assert page.locator('[data-a11y="contrast"]').get_attribute("aria-pressed") == "true"
    assert background(page) != normal
    page.locator('[data-a11y="contrast"]').click()
    assert "high-contrast" not in page.eval_on_selector("html", "el => el.className")
    assert page.locator('[data-a11y="contrast"]').get_attribute("aria-pressed") == "false"
    assert background(page) == normal


def test_reading_aids_carry_over_to_other_pages(page):
    page.goto(PAGE)
    page.click('[data-a11y="bigger"]')
    page.click('[data-a11y="contrast"]')
    page.goto("/search/")
    assert "high-contrast" in page.eval_on_selector("html", "el => el.className")
    assert page.eval_on_selector("html", "el => el.style.fontSize") == "115%"


def test_elder_mode_enlarges_text_and_targets_and_is_remembered(page):
    page.goto(PAGE)
    before = font_size(page, BODY_TEXT)
    button = page.locator('[data-a11y="elder"]')
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert font_size(page, BODY_TEXT) >= round(before * 1.3, 1), "长者模式 reads at least 130 %"
    assert "elder-mode" in page.eval_on_selector("html", "el => el.className")
    assert page.eval_on_selector("main a", "a => getComputedStyle(a).textDecorationLine") == "underline"
    page.goto("/policies/")
    assert page.locator('[data-a11y="elder"]').get_attribute("aria-pressed") == "true", "carried to other pages"
    page.click('[data-a11y="reset"]')
    assert page.locator('[data-a11y="elder"]').get_attribute("aria-pressed") == "false"
    assert "elder-mode" not in page.eval_on_selector("html", "el => el.className")


def test_reading_aids_sit_together_at_the_top_right_above_the_site_name(page):
    page.goto("/")
    tools = page.eval_on_selector(".a11y-tools", "el => el.getBoundingClientRect().toJSON()")
    name = page.eval_on_selector(".site-name", "el => el.getBoundingClientRect().toJSON()")
    assert tools["bottom"] <= name["top"] and tools["right"] >= 1280 - 200, (tools, name)
    assert page.locator(".a11y-tools a", has_text="无障碍").get_attribute("href") == "/wza/"
