from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from impactcircle.core.markdown import render_markdown


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_formatting_is_kept() -> None:
    html = render_markdown("**Climate** action with [a link](https://example.org) and `code`")

    assert "<strong>Climate</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">a link</a>' in html
    assert "<code>code</code>" in html


def test_script_tags_are_shown_as_text_never_run() -> None:
    html = render_markdown("Hello <script>alert('x')</script>")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_event_handlers_are_dropped() -> None:
    html = render_markdown(
        '<img src="x" onerror="alert(1)"> and ![pic](https://example.org/a.png "t")'
    )
    collector = _TagCollector()
    collector.feed(html)

    assert [tag for tag, _ in collector.tags] == ["p", "img"]  # the raw <img> stayed text
    assert all(not name.startswith("on") for _, attrs in collector.tags for name, _ in attrs)
    assert '<img src="https://example.org/a.png" alt="pic" title="t">' in html


def test_javascript_links_are_removed() -> None:
    html = render_markdown("[click me](javascript:alert(1)) <a href='javascript:alert(2)'>x</a>")

    assert 'href="javascript:' not in html
    assert "<a href" not in html.split("click me")[0]


def test_data_and_vbscript_links_are_removed() -> None:
    html = render_markdown("[a](data:text/html,<b>x</b>) [b](vbscript:msgbox)")

    assert 'href="data:' not in html
    assert 'href="vbscript:' not in html


_MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("<>/=\"' ()[]!:*_`#-\nabcjsvrtipoenlhfmg0123456789")),
    max_size=200,
)


@given(st.one_of(st.text(max_size=200), _MARKDOWNISH))
def test_no_input_produces_an_active_tag_a_handler_or_a_script_link(text: str) -> None:
    collector = _TagCollector()
    collector.feed(render_markdown(text))

    for tag, attrs in collector.tags:
        assert tag not in {"script", "iframe", "style", "object", "embed", "svg", "form"}
        for name, value in attrs:
            assert not name.startswith("on")
            if name in {"href", "src"}:
                assert (value or "").split(":", 1)[0].lower() in {"http", "https", "mailto"} or (
                    ":" not in (value or "")
                )
